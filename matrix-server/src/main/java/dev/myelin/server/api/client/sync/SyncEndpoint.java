package dev.myelin.server.api.client.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
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
 * {@code full_state} and inline or stored filters.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3sync">spec</a>
 */
public final class SyncEndpoint implements Endpoint {
    /** Longer waits are shortened: proxies cut idle connections long before this anyway. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    private static final Set<String> PRESENCE = Set.of("online", "offline", "unavailable");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyncHandler sync;
    private final FilterStore filters;

    public SyncEndpoint(SyncHandler sync, FilterStore filters) {
        this.sync = sync;
        this.filters = filters;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/sync";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        long timeoutMs = request.queryParam("timeout").map(SyncEndpoint::parseTimeout).orElse(0L);
        Optional<SyncToken> since = request.queryParam("since").map(SyncToken::parse);
        boolean fullState = request.queryParam("full_state").map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam("full_state", "must be 'true' or 'false'");
        }).orElse(false);
        Optional<PresenceState> setPresence = request.queryParam("set_presence").map(p -> PresenceState.parse(p)
                .orElseThrow(() -> MatrixException.invalidParam("set_presence",
                        "must be one of " + PRESENCE.stream().sorted().toList())));
        SyncFilter filter = request.queryParam("filter").map(f -> filter(requester.userId(), f))
                .orElse(SyncFilter.DEFAULT);
        Duration timeout = Duration.ofMillis(Math.min(timeoutMs, MAX_TIMEOUT.toMillis()));
        sync.markActive(requester.userId(), setPresence);
        return MatrixResponse.ok(sync.sync(new SyncRequest(requester.userId(), requester.deviceId(), since, filter,
                fullState, timeout)));
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

    private SyncFilter filter(UserId user, String value) {
        if (value.startsWith("{")) {
            JsonNode json;
            try {
                json = JSON.readTree(value);
            } catch (JsonProcessingException e) {
                throw MatrixException.notJson("Invalid filter JSON");
            }
            if (!(json instanceof ObjectNode object)) {
                throw MatrixException.badJson("A filter must be a JSON object");
            }
            return FilterParser.parse(object);
        }
        long id;
        try {
            id = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("filter", "No such filter");
        }
        return filters.get(user, id).map(FilterParser::parse)
                .orElseThrow(() -> MatrixException.invalidParam("filter", "No such filter"));
    }
}
