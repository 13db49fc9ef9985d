/**
 * Server signing keys as servers publish them: this server's own {@code /_matrix/key/v2/server}
 * answer, and the checks on such an answer received from another server.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys">Retrieving server keys</a>
 */
@NullMarked
package dev.myelin.federation.keys;

import org.jspecify.annotations.NullMarked;
