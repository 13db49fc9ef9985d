/**
 * Matrix errors: the {@code errcode} strings with constants for the spec's codes, and the one exception
 * type that becomes an error response.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#standard-error-response">Standard error response</a>
 */
@NullMarked
package dev.myelin.http.error;

import org.jspecify.annotations.NullMarked;
