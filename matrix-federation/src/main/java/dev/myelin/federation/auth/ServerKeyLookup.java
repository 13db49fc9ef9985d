package dev.myelin.federation.auth;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.pdu.ServerKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@link RequestVerifier} finds a remote server's key: a cache in front of key fetching, a
 * notary, or a fixed set in tests. The lookup may take time (a fetch over the network), so it
 * answers with a future; an empty answer means the key is not known, a failed future that it
 * could not be found out.
 */
@FunctionalInterface
public interface ServerKeyLookup {

    /** The key {@code server} publishes as {@code keyId}, with the time until which it is valid. */
    CompletableFuture<Optional<ServerKey>> find(ServerName server, SigningKeyId keyId);
}
