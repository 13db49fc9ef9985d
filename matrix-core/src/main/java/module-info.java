/**
 * The Matrix protocol without I/O: identifiers, canonical JSON, signing, events, room versions, auth
 * rules, push rules, and the clock, concurrency and cache helpers. Every package is API.
 */
module dev.myelin.core {
    requires transitive com.fasterxml.jackson.databind;
    requires transitive org.jspecify;
    requires com.github.benmanes.caffeine;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.myelin.core.auth;
    exports dev.myelin.core.cache;
    exports dev.myelin.core.concurrent;
    exports dev.myelin.core.crypto;
    exports dev.myelin.core.event;
    exports dev.myelin.core.event.content;
    exports dev.myelin.core.id;
    exports dev.myelin.core.json;
    exports dev.myelin.core.log;
    exports dev.myelin.core.pdu;
    exports dev.myelin.core.push;
    exports dev.myelin.core.room;
    exports dev.myelin.core.time;
}
