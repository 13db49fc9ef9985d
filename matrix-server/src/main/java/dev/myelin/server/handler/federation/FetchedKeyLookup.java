package dev.myelin.server.handler.federation;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.federation.keys.KeyFetcher;
import java.util.Optional;

/**
 * The event checks' {@link KeyLookup} over the {@link KeyFetcher}: a key not kept yet is fetched
 * (from its server, then the notaries) while the caller waits, as a signed request's key is.
 */
public final class FetchedKeyLookup implements KeyLookup {
    private final KeyFetcher fetcher;

    public FetchedKeyLookup(KeyFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public Optional<ServerKey> find(ServerName server, SigningKeyId keyId) {
        // the fetcher's futures never fail: a key that cannot be had is an empty answer
        return fetcher.find(server, keyId).join();
    }
}
