package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.ServerKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The keys events were signed with, fetched ahead: the checks on receipt of a PDU ask for keys
 * synchronously, one event at a time, while keys come from other servers. {@link #prefetch} asks
 * the {@link KeyFetcher} for every key any of the events names at once (a response with a thousand
 * state events from one server costs one fetch per key, not per event) and answers the checks from
 * what it got.
 */
public final class EventKeys {
    private EventKeys() {}

    /**
     * A lookup holding the keys the {@code events}' {@code signatures} name, each fetched for the
     * latest {@code origin_server_ts} of the events signed with it; {@code own} answers for this
     * server's own keys, which are never fetched.
     */
    public static KeyLookup prefetch(
            KeyFetcher fetcher, Collection<? extends JsonNode> events, ServerName self, KeyLookup own) {
        Map<ServerName, Map<SigningKeyId, Long>> wanted = new HashMap<>();
        for (JsonNode event : events) {
            long ts = event.path("origin_server_ts").asLong(0);
            JsonNode signatures = event.path("signatures");
            for (Iterator<Map.Entry<String, JsonNode>> servers = signatures.fields(); servers.hasNext(); ) {
                Map.Entry<String, JsonNode> server = servers.next();
                if (!ServerName.isValid(server.getKey())) {
                    continue;
                }
                ServerName name = ServerName.parse(server.getKey());
                if (name.equals(self)) {
                    continue;
                }
                for (Iterator<String> ids = server.getValue().fieldNames(); ids.hasNext(); ) {
                    String id = ids.next();
                    try {
                        wanted.computeIfAbsent(name, n -> new HashMap<>()).merge(SigningKeyId.parse(id), ts, Math::max);
                    } catch (IllegalArgumentException e) {
                        // an unparseable key id cannot verify anything; the check reports the event
                    }
                }
            }
        }
        Map<ServerName, Map<SigningKeyId, CompletableFuture<Optional<ServerKey>>>> pending = new HashMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        wanted.forEach((server, ids) -> ids.forEach((id, ts) -> {
            CompletableFuture<Optional<ServerKey>> f = fetcher.find(server, id, ts);
            pending.computeIfAbsent(server, s -> new HashMap<>()).put(id, f);
            all.add(f);
        }));
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        Map<ServerName, Map<SigningKeyId, ServerKey>> found = new HashMap<>();
        pending.forEach((server, ids) -> ids.forEach((id, f) -> f.join()
                .ifPresent(key ->
                        found.computeIfAbsent(server, s -> new HashMap<>()).put(id, key))));
        return (server, keyId) -> server.equals(self)
                ? own.find(server, keyId)
                : Optional.ofNullable(found.getOrDefault(server, Map.of()).get(keyId));
    }
}
