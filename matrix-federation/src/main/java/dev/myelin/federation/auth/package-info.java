/**
 * X-Matrix request authentication between servers: the {@code Authorization} header's value, signing
 * an outgoing request, and checking a received one against the origin's keys. No HTTP server or
 * client code: callers hand in the method, target, headers and parsed body.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#request-authentication">Request Authentication</a>
 */
@NullMarked
package dev.myelin.federation.auth;

import org.jspecify.annotations.NullMarked;
