/**
 * How often outbound federation tries a server that does not answer: the backoff of each
 * destination across requests ({@link dev.myelin.federation.backoff.DestinationBackoff}, kept in the
 * database so a restart keeps it), and the schedule of retries within one request
 * ({@link dev.myelin.federation.backoff.RequestRetryPolicy}), both set by the {@code federation}
 * section of {@code homeserver.yaml} ({@link dev.myelin.federation.backoff.FederationRetryConfig})
 * with Synapse's keys and defaults.
 */
@NullMarked
package dev.myelin.federation.backoff;

import org.jspecify.annotations.NullMarked;
