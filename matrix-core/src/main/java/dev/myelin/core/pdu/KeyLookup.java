package dev.myelin.core.pdu;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import java.util.Optional;

/**
 * The caller's source of other servers' verify keys: a local cache, a notary, or a fixed set in
 * tests. The checks ask only for the keys an event was signed with, and never fetch anything
 * themselves.
 */
@FunctionalInterface
public interface KeyLookup {

    /** The key {@code server} publishes as {@code keyId}, if the caller knows it. */
    Optional<ServerKey> find(ServerName server, SigningKeyId keyId);
}
