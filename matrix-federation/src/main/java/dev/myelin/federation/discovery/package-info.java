/**
 * Server discovery: turning a server name into the address, port, {@code Host} header and TLS name
 * to use for federation requests, through {@code /.well-known/matrix/server}, SRV records and the
 * 8448 default, as the spec's "Resolving server names" section lays out.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#resolving-server-names">Resolving
 *     server names</a>
 */
@NullMarked
package dev.myelin.federation.discovery;

import org.jspecify.annotations.NullMarked;
