/**
 * HTTP for Matrix: the Jetty 12 server with the request shim, router and Matrix errors, rate limiting,
 * and the outbound client with its IP blocklist.
 */
module dev.myelin.http {
    requires transitive dev.myelin.core;
    requires transitive org.eclipse.jetty.server;
    requires transitive org.eclipse.jetty.client;
    requires transitive org.eclipse.jetty.ee10.servlet;
    requires org.eclipse.jetty.unixdomain.server;
    requires org.slf4j;

    // every package except internal ones is API; a new package of endpoint definitions is added here
    exports dev.myelin.http.client;
    exports dev.myelin.http.error;
    exports dev.myelin.http.ratelimit;
    exports dev.myelin.http.server;
}
