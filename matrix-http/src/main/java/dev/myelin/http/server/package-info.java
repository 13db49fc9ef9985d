/**
 * The HTTP server: Jetty 12 with a request shim ({@link dev.myelin.http.server.MatrixRequest},
 * {@link dev.myelin.http.server.MatrixResponse}) so endpoints never touch servlet types, a router of path
 * templates, JSON bodies and errors, access-token authentication, CORS and static files.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#api-standards">API standards</a>
 */
@NullMarked
package dev.myelin.http.server;

import org.jspecify.annotations.NullMarked;
