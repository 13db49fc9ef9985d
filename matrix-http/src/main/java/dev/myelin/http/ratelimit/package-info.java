/**
 * Token-bucket rate limiting per requester and action, answered with {@code M_LIMIT_EXCEEDED} and
 * {@code retry_after_ms}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#rate-limiting">Rate limiting</a>
 */
@NullMarked
package dev.myelin.http.ratelimit;

import org.jspecify.annotations.NullMarked;
