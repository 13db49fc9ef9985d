package dev.myelin.http.endpoint;

import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;

/**
 * An endpoint that takes a request body of type {@code B} and answers 200 with a JSON body of
 * type {@code R}, as its {@link EndpointSpec} declares. The body is read and bound before {@link
 * #handle(MatrixRequest, Object)} runs, and the result is written by {@link EndpointJson}, so an
 * endpoint class holds only what is particular to it.
 *
 * @param <B> the request body type
 * @param <R> the response body type
 */
public abstract class JsonEndpoint<B, R> extends SpecEndpoint {
    private final EndpointSpec<B, R> spec;

    /** An endpoint served as {@code spec} says. */
    protected JsonEndpoint(EndpointSpec<B, R> spec) {
        super(spec);
        this.spec = spec;
    }

    @Override
    public final MatrixResponse handle(MatrixRequest request) {
        R response = handle(request, EndpointJson.readBody(request, spec));
        return MatrixResponse.ok(EndpointJson.toTree(response));
    }

    /**
     * Handles one request whose body has been read and bound.
     *
     * @param request the request, for path and query parameters and the requester
     * @param body the bound body ({@link NoBody#INSTANCE} when the endpoint has none)
     * @return the response body
     */
    protected abstract R handle(MatrixRequest request, B body);
}
