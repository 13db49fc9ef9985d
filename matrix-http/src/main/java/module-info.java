/**
 * HTTP for Matrix: the Jetty 12 server with the request shim, router and Matrix errors, rate limiting,
 * typed endpoint definitions shared by servers and clients, and the outbound client with its IP
 * blocklist.
 */
module dev.myelin.http {
    requires transitive dev.myelin.core;
    requires transitive org.eclipse.jetty.server;
    requires transitive org.eclipse.jetty.client;
    requires transitive org.eclipse.jetty.ee10.servlet;
    requires org.eclipse.jetty.unixdomain.server;
    requires org.slf4j;

    // every package except internal ones is API
    exports dev.myelin.http.client;
    exports dev.myelin.http.endpoint;
    exports dev.myelin.http.error;
    exports dev.myelin.http.ratelimit;
    exports dev.myelin.http.server;

    // EndpointJson binds request and response records by reflection, this package's own among them
    opens dev.myelin.http.endpoint to
            com.fasterxml.jackson.databind;
}
