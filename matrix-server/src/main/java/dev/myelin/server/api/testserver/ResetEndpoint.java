package dev.myelin.server.api.testserver;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;

/**
 * {@code POST /_myelin/test/v1/reset}: empties the test server between tests. Every user, device,
 * room, event and cached value is gone; the next request (on this or any connection) is served by
 * a new homeserver over a new database, on the same port. The clock keeps its time. A body, if
 * sent, is ignored. Only in the {@code test-server} mode, only from loopback.
 */
public final class ResetEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_myelin/test/v1/reset", NoBody.class, EmptyResponse.class)
            .noAuth();

    private final TestControls controls;

    public ResetEndpoint(TestControls controls) {
        super(SPEC);
        this.controls = controls;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        LoopbackOnly.check(request);
        controls.reset();
        return EmptyResponse.INSTANCE;
    }
}
