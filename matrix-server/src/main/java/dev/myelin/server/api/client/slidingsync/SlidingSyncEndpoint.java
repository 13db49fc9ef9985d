package dev.myelin.server.api.client.slidingsync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.presence.PresenceState;
import dev.myelin.server.handler.slidingsync.SlidingSyncHandler;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequestParser;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/unstable/org.matrix.simplified_msc3575/sync}: simplified sliding sync
 * (MSC4186), as Element X and other matrix-rust-sdk clients speak it. {@code pos}, {@code timeout} and
 * {@code set_presence} come in the query (or, in the proposal's later form, the body).
 *
 * @see <a href="https://github.com/matrix-org/matrix-spec-proposals/pull/4186">MSC4186</a>
 */
public final class SlidingSyncEndpoint extends JsonEndpoint<ObjectNode, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, ObjectNode> SPEC = EndpointSpec.post(
            "/_matrix/client/unstable/org.matrix.simplified_msc3575/sync", ObjectNode.class, ObjectNode.class);

    /** Longer waits are shortened, as for /sync. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    private final SlidingSyncHandler sync;
    private final PresenceHandler presence;

    public SlidingSyncEndpoint(SlidingSyncHandler sync, PresenceHandler presence) {
        super(SPEC);
        this.sync = sync;
        this.presence = presence;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
        Requester requester = request.requireRequester();
        Optional<Long> timeout = request.queryParam("timeout").map(SlidingSyncEndpoint::parseTimeout);
        Optional<String> setPresence = request.queryParam("set_presence")
                .or(() -> body.path("set_presence").isTextual()
                        ? Optional.of(body.get("set_presence").asText())
                        : Optional.empty());
        Optional<PresenceState> state = setPresence.map(p -> PresenceState.parse(p)
                .orElseThrow(() ->
                        MatrixException.invalidParam("set_presence", "must be one of offline, online, unavailable")));
        var parsed = SlidingSyncRequestParser.parse(
                requester.userId(), requester.deviceId(), body, request.queryParam("pos"), timeout, MAX_TIMEOUT);
        presence.syncing(requester.userId(), state);
        return sync.sync(parsed);
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
}
