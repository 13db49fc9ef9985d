package dev.myelin.http.server;

import java.util.Optional;

/**
 * What an authenticated user's request passes through before rate limits and its endpoint: the
 * server's moderation of accounts (a locked or suspended account is refused with a {@link
 * dev.myelin.http.error.MatrixException}; a shadow-banned user's send is answered as if it had
 * succeeded, without running the endpoint).
 */
@FunctionalInterface
public interface ClientRequestFilter {

    /** A filter letting every request through. */
    ClientRequestFilter NONE = (endpoint, request, requester) -> Optional.empty();

    /**
     * Lets the request through (empty), answers it in the endpoint's place, or throws.
     *
     * @param endpoint the endpoint the request is for (its method and path template say what it does)
     */
    Optional<MatrixResponse> filter(Endpoint endpoint, MatrixRequest request, Requester requester);

    /** This filter, then {@code next} for the requests this one lets through. */
    default ClientRequestFilter andThen(ClientRequestFilter next) {
        return (endpoint, request, requester) -> {
            Optional<MatrixResponse> answered = filter(endpoint, request, requester);
            return answered.isPresent() ? answered : next.filter(endpoint, request, requester);
        };
    }
}
