/**
 * Federation between homeservers: server discovery, request signing, key fetching, the federation
 * client.
 */
module dev.myelin.federation {
    requires transitive dev.myelin.core;
    requires transitive dev.myelin.http;
    requires java.naming;
    requires org.slf4j;

    exports dev.myelin.federation.api;
    exports dev.myelin.federation.auth;
    exports dev.myelin.federation.backoff;
    exports dev.myelin.federation.client;
    exports dev.myelin.federation.discovery;
    exports dev.myelin.federation.keys;
    exports dev.myelin.federation.ratelimit;
    exports dev.myelin.federation.sender;
}
