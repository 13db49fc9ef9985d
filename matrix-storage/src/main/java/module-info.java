/**
 * Storage for a homeserver on SQLite or PostgreSQL: the database and its migrations, the stores, and the
 * flows that write several stores at once. The generated jOOQ schema ({@code dev.myelin.storage.schema})
 * and the stores' shared helpers ({@code dev.myelin.storage.internal}) are not exported.
 */
module dev.myelin.storage {
    requires transitive dev.myelin.core;
    // Transaction.dsl() hands out jOOQ's DSLContext
    requires transitive org.jooq;
    requires transitive java.sql;
    requires com.github.benmanes.caffeine;
    requires com.zaxxer.hikari;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;
    // found by DriverManager through its service entry; no class of it is named in the code. Static: the
    // driver is an optional dependency, present only where PostgreSQL is used
    requires static org.postgresql.jdbc;
    requires spring.security.crypto;
    // only dev.myelin.storage.testing uses it, and only when present (an optional dependency)
    requires static embedded.postgres;
    // jOOQ's Settings carry JAXB annotations that javac wants to read; not needed at run time
    requires static jakarta.xml.bind;

    exports dev.myelin.storage;
    exports dev.myelin.storage.account;
    exports dev.myelin.storage.backup;
    exports dev.myelin.storage.device;
    exports dev.myelin.storage.event;
    exports dev.myelin.storage.federation;
    exports dev.myelin.storage.keys;
    exports dev.myelin.storage.media;
    exports dev.myelin.storage.migration;
    exports dev.myelin.storage.persist;
    exports dev.myelin.storage.push;
    exports dev.myelin.storage.receipt;
    exports dev.myelin.storage.relation;
    exports dev.myelin.storage.room;
    exports dev.myelin.storage.search;
    exports dev.myelin.storage.serverkeys;
    exports dev.myelin.storage.state;
    exports dev.myelin.storage.stream;
    exports dev.myelin.storage.testing;
    exports dev.myelin.storage.threepid;

    // jOOQ creates the generated record classes reflectively
    opens dev.myelin.storage.schema to
            org.jooq;
    opens dev.myelin.storage.schema.tables to
            org.jooq;
    opens dev.myelin.storage.schema.tables.records to
            org.jooq;
}
