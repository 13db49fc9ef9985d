package dev.myelin.server.handler.federation;

import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.federation.keys.FetchedKeyResponse;
import dev.myelin.federation.keys.FetchedKeyStore;
import dev.myelin.storage.serverkeys.ServerKeyStore;
import dev.myelin.storage.serverkeys.StoredKeyResponse;
import dev.myelin.storage.serverkeys.StoredServerKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The key fetcher's {@link FetchedKeyStore} over the database's {@link ServerKeyStore}. */
public final class StoredFetchedKeys implements FetchedKeyStore {
    private final ServerKeyStore store;

    public StoredFetchedKeys(ServerKeyStore store) {
        this.store = store;
    }

    @Override
    public Optional<ServerKey> key(ServerName server, SigningKeyId keyId) {
        return store.key(server, keyId).map(StoredServerKey::toServerKey);
    }

    @Override
    public void save(FetchedKeyResponse response) {
        ServerName server = response.keys().serverName();
        List<StoredServerKey> keys = new ArrayList<>();
        for (Map.Entry<SigningKeyId, ServerKey> entry : response.usableKeys().entrySet()) {
            VerifyKey key = entry.getValue().key();
            OptionalLong expired = response.keys().oldVerifyKeys().containsKey(entry.getKey())
                            && !response.keys().verifyKeys().containsKey(entry.getKey())
                    ? OptionalLong.of(entry.getValue().validUntilTs())
                    : OptionalLong.empty();
            keys.add(new StoredServerKey(
                    server, entry.getKey(), key, entry.getValue().validUntilTs(), expired, response.fetchedTs()));
        }
        store.store(
                new StoredKeyResponse(
                        server,
                        CanonicalJson.encodeToString(response.json()),
                        response.keys().validUntilTs(),
                        response.fetchedTs()),
                keys);
    }
}
