package dev.myelin.server.api.client.legacy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.legacy.LegacyEventReader;
import dev.myelin.server.handler.room.ClientEvents;

/**
 * {@code GET /_matrix/client/v3/events/{eventId}}: the deprecated read of one event by its id
 * alone; 404 {@code M_NOT_FOUND} both for unknown events and for events the user may not see.
 * The answer is the event, kept as a JSON tree since its content is free-form.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3eventseventid">spec</a>
 */
public final class LegacyGetEventEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/events/{eventId}", ObjectNode.class);

    private final LegacyEventReader reader;

    public LegacyGetEventEndpoint(LegacyEventReader reader) {
        super(SPEC);
        this.reader = reader;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        return reader.event(ClientEvents.Viewer.of(request.requireRequester()), PathParams.eventId(request));
    }
}
