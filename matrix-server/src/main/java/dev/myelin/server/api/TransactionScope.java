package dev.myelin.server.api;

import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;

/**
 * The scope a client's transaction ids are unique within: the user's device, or the access token
 * for a requester without one (application services). The spec makes transaction ids unique per
 * device, so two devices of one user may use the same id for different requests.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#transaction-identifiers">Transaction
 *     identifiers</a>
 */
public final class TransactionScope {
    private TransactionScope() {}

    /** The scope of the authenticated requester of {@code request}. */
    public static String of(MatrixRequest request) {
        Requester requester = request.requireRequester();
        return requester.userId() + "/"
                + requester
                        .deviceId()
                        .map(Object::toString)
                        .or(request::accessToken)
                        .orElse("");
    }
}
