package dev.myelin.server.handler.profile;

import dev.myelin.core.id.UserId;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationErrorException;
import dev.myelin.federation.client.FederationUnreachableException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.api.federation.QueryProfileEndpoint;
import dev.myelin.storage.account.Profile;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Other servers' users' profiles, asked of their server with
 * {@code GET /_matrix/federation/v1/query/profile}. Its 404 is passed on; a server that cannot be
 * reached, or answers otherwise, is 502, as Synapse answers.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1queryprofile">spec</a>
 */
public final class FederatedProfiles implements RemoteProfiles {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedProfiles.class);

    private final FederationClient federation;

    public FederatedProfiles(FederationClient federation) {
        this.federation = federation;
    }

    @Override
    public Profile fetch(UserId user) {
        try {
            QueryProfileEndpoint.Response answer = federation.send(
                    user.server(), EndpointCall.of(QueryProfileEndpoint.SPEC).query("user_id", user.toString()));
            return new Profile(Optional.ofNullable(answer.displayname()), Optional.ofNullable(answer.avatarUrl()));
        } catch (FederationErrorException e) {
            if (e.status() == 404) {
                throw MatrixException.notFound("Profile not found");
            }
            LOG.info("profile query for {} failed: {}", user, e.getMessage());
            throw new MatrixException(502, ErrorCode.UNKNOWN, "Failed to fetch profile");
        } catch (FederationDeniedException e) {
            throw e.toMatrixException();
        } catch (FederationUnreachableException e) {
            LOG.info("profile query for {} failed: {}", user, e.getMessage());
            throw new MatrixException(502, ErrorCode.UNKNOWN, "Failed to fetch profile");
        }
    }
}
