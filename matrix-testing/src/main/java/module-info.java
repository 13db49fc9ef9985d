/**
 * The test kit for projects built on Myelin (bots, bridges, application services): an in-process
 * homeserver as a JUnit 5 extension, fake clock, test clients and Matrix assertions, and one homeserver
 * as several real processes on loopback (worker deployments).
 */
module dev.myelin.testing {
    requires transitive dev.myelin.core;
    requires transitive dev.myelin.http;
    requires transitive dev.myelin.storage;
    requires dev.myelin.federation;
    // matrix-server has no descriptor: it is the automatic module its jar's manifest names, so a reactor
    // build must reach `package` (as `verify` does) before this module compiles
    requires transitive dev.myelin.server;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires jdk.jfr;
    // the worker deployment's reverse proxy and readiness checks
    requires jdk.httpserver;
    requires java.net.http;
    requires org.junit.platform.commons;

    exports dev.myelin.testing;
    exports dev.myelin.testing.appservice;
    exports dev.myelin.testing.workers;

    // JUnit instantiates the package-private extensions behind @FailOnPinning and friends reflectively
    opens dev.myelin.testing to
            org.junit.platform.commons;
}
