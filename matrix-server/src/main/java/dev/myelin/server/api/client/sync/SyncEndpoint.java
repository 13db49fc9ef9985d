package dev.myelin.server.api.client.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.filter.FilterParser;
import dev.myelin.server.handler.filter.SyncFilter;
import dev.myelin.server.handler.presence.PresenceState;
import dev.myelin.server.handler.sync.SyncHandler;
import dev.myelin.server.handler.sync.SyncRequest;
import dev.myelin.server.handler.sync.SyncToken;
import dev.myelin.storage.account.FilterStore;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /_matrix/client/v3/sync}: initial and incremental sync, with long-polling,
 * {@code full_state} and inline or stored filters, both read by {@link FilterParser}. The answer
 * stays a JSON tree: it is assembled section by section by the sync handler, and is mostly event
 * JSON and account data, which are free-form.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3sync">spec</a>
 */
public final class SyncEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/sync", ObjectNode.class);

    /** Longer waits are shortened: proxies cut idle connections long before this anyway. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    private static final Set<String> PRESENCE = Set.of("online", "offline", "unavailable");

    private final SyncHandler sync;
    private final FilterStore filters;
    /**
     * Filters as parsed, by their JSON text or by user and id: stored filters never change, and a
     * client sends the same one with every sync.
     */
    private final Cache<String, SyncFilter> parsed =
            Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run).build();

    public SyncEndpoint(SyncHandler sync, FilterStore filters) {
        super(SPEC);
        this.sync = sync;
        this.filters = filters;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        Requester requester = request.requireRequester();
        long timeoutMs =
                request.queryParam("timeout").map(SyncEndpoint::parseTimeout).orElse(0L);
        Optional<SyncToken> since = request.queryParam("since").map(SyncToken::parse);
        boolean fullState = QueryParams.bool(request, "full_state").orElse(false);
        Optional<PresenceState> setPresence = request.queryParam("set_presence")
                .map(p -> PresenceState.parse(p)
                        .orElseThrow(() -> MatrixException.invalidParam(
                                "set_presence",
                                "must be one of " + PRESENCE.stream().sorted().toList())));
        SyncFilter filter = request.queryParam("filter")
                .map(f -> filter(requester.userId(), f))
                .orElse(SyncFilter.DEFAULT);
        Duration timeout = Duration.ofMillis(Math.min(timeoutMs, MAX_TIMEOUT.toMillis()));
        sync.markActive(requester.userId(), setPresence);
        return sync.sync(new SyncRequest(requester.userId(), requester.deviceId(), since, filter, fullState, timeout));
    }

    private static long parseTimeout(String value) {
        try {
            long ms = Long.parseLong(value);
            if (ms < 0) {
                throw MatrixException.invalidParam("timeout", "must not be negative");
            }
            return ms;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("timeout", "must be an integer");
        }
    }

    /** An inline filter (JSON text) or the id of one the user stored. */
    private SyncFilter filter(UserId user, String value) {
        if (value.startsWith("{")) {
            return parsed.get(value, FilterParser::parseJson);
        }
        long id;
        try {
            id = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("filter", "No such filter");
        }
        SyncFilter known = parsed.getIfPresent(user + "#" + id);
        if (known != null) {
            return known;
        }
        SyncFilter filter = filters.get(user, id)
                .map(FilterParser::parse)
                .orElseThrow(() -> MatrixException.invalidParam("filter", "No such filter"));
        parsed.put(user + "#" + id, filter);
        return filter;
    }
}
