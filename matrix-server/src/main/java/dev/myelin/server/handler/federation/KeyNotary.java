package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.federation.keys.KeyFetcher;
import dev.myelin.federation.keys.ServerKeyPublisher;
import dev.myelin.storage.serverkeys.ServerKeyStore;
import dev.myelin.storage.serverkeys.StoredKeyResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a notary: other servers' key responses as their owners signed them, with this
 * server's signature added, so that a server that cannot reach the owner can still trust them.
 *
 * <p>For each server asked about, the kept responses answer when every key id asked for has one
 * valid until at least the {@code minimum_valid_until_ts} asked for; otherwise the owner is asked
 * again first. Whatever is kept afterwards is returned, an expired key included (the asker decides
 * whether it can use it); a server that could never be reached is left out. A key the owner stops
 * listing keeps the response that last listed it. Questions about this server are answered from
 * its own keys.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#querying-keys-through-another-server">Querying keys through another server</a>
 */
public final class KeyNotary {
    private static final Logger LOG = LoggerFactory.getLogger(KeyNotary.class);

    private final ServerName serverName;
    private final SigningKey signingKey;
    private final ServerKeyPublisher ownKeys;
    private final ServerKeyStore store;
    private final KeyFetcher fetcher;

    public KeyNotary(
            ServerName serverName,
            SigningKey signingKey,
            ServerKeyPublisher ownKeys,
            ServerKeyStore store,
            KeyFetcher fetcher) {
        this.serverName = serverName;
        this.signingKey = signingKey;
        this.ownKeys = ownKeys;
        this.store = store;
        this.fetcher = fetcher;
    }

    /**
     * What one server is asked about.
     *
     * @param keyIds the key ids asked for; empty for every key
     * @param minimumValidUntilTs the least {@code valid_until_ts} the answers should have; empty for none
     */
    public record Query(Set<SigningKeyId> keyIds, OptionalLong minimumValidUntilTs) {
        public Query {
            keyIds = Set.copyOf(keyIds);
        }
    }

    /** The signed responses for every server asked about, in the order asked. */
    public List<ObjectNode> query(Map<ServerName, Query> queries) {
        List<ObjectNode> out = new ArrayList<>();
        queries.forEach((server, query) -> out.addAll(answer(server, query)));
        return out;
    }

    private List<ObjectNode> answer(ServerName server, Query query) {
        if (server.equals(serverName)) {
            return List.of(ownKeys.response());
        }
        Map<SigningKeyId, StoredKeyResponse> kept = store.responses(server);
        if (!satisfied(kept, query)) {
            try {
                fetcher.fetchFromServer(server);
            } catch (RuntimeException e) {
                LOG.info("Notary could not refresh the keys of {}: {}", server, e.getMessage());
            }
            kept = store.responses(server);
        }
        Set<String> distinct = new LinkedHashSet<>();
        kept.forEach((id, response) -> {
            if (query.keyIds().isEmpty() || query.keyIds().contains(id)) {
                distinct.add(response.keyJson());
            }
        });
        List<ObjectNode> out = new ArrayList<>();
        for (String json : distinct) {
            JsonNode parsed = CanonicalJson.parse(json);
            if (parsed instanceof ObjectNode object) {
                out.add(JsonSigning.sign(object, serverName, signingKey));
            }
        }
        return out;
    }

    private static boolean satisfied(Map<SigningKeyId, StoredKeyResponse> kept, Query query) {
        if (kept.isEmpty()) {
            return false;
        }
        long minimum = query.minimumValidUntilTs().orElse(0);
        if (query.keyIds().isEmpty()) {
            // every key: the latest response must do, older keys keep the responses they came in
            return kept.values().stream().anyMatch(r -> r.validUntilTs() >= minimum);
        }
        Map<SigningKeyId, StoredKeyResponse> wanted = new LinkedHashMap<>();
        {
            for (SigningKeyId id : query.keyIds()) {
                StoredKeyResponse response = kept.get(id);
                if (response == null) {
                    return false;
                }
                wanted.put(id, response);
            }
        }
        return wanted.values().stream().allMatch(r -> r.validUntilTs() >= minimum);
    }
}
