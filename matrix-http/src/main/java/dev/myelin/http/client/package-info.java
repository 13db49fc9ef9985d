/**
 * The outbound HTTP client: Jetty's client behind a blocking API, with an IP-range blocklist applied at
 * DNS resolution (and to literal addresses and redirects), proxy settings, and routing of internal
 * {@code replication://} URIs to worker instances.
 */
@NullMarked
package dev.myelin.http.client;

import org.jspecify.annotations.NullMarked;
