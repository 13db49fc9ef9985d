package dev.myelin.server.handler.directory;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationErrorException;
import dev.myelin.federation.client.FederationUnreachableException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.api.federation.QueryDirectoryEndpoint;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Other servers' room aliases, asked of their server with
 * {@code GET /_matrix/federation/v1/query/directory}. Its 404 is passed on; a server that cannot
 * be reached, answers otherwise, or answers with something that is not a room id and server
 * names, is 502, as Synapse answers. The alias's own server comes first among the servers.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1querydirectory">spec</a>
 */
public final class FederatedAliases implements RemoteAliases {
    private static final Logger LOG = LoggerFactory.getLogger(FederatedAliases.class);

    private final FederationClient federation;

    public FederatedAliases(FederationClient federation) {
        this.federation = federation;
    }

    @Override
    public RoomDirectoryHandler.Resolved resolve(RoomAlias alias) {
        QueryDirectoryEndpoint.Response answer;
        try {
            answer = federation.send(
                    alias.server(), EndpointCall.of(QueryDirectoryEndpoint.SPEC).query("room_alias", alias.toString()));
        } catch (FederationErrorException e) {
            if (e.status() == 404) {
                throw MatrixException.notFound("Room alias " + alias + " not found");
            }
            throw failed(alias, e);
        } catch (FederationDeniedException e) {
            throw e.toMatrixException();
        } catch (FederationUnreachableException e) {
            throw failed(alias, e);
        }
        try {
            RoomId room = RoomId.parse(answer.roomId());
            // the alias's server is in the room it names, or was when the alias was made
            Set<String> servers = new LinkedHashSet<>();
            servers.add(alias.server().toString());
            for (String server : answer.servers()) {
                servers.add(ServerName.parse(server).toString());
            }
            return new RoomDirectoryHandler.Resolved(room, List.copyOf(servers));
        } catch (InvalidIdentifierException e) {
            throw failed(alias, e);
        }
    }

    private static MatrixException failed(RoomAlias alias, RuntimeException e) {
        LOG.info("directory query for {} failed: {}", alias, e.getMessage());
        return new MatrixException(502, ErrorCode.UNKNOWN, "Failed to fetch alias");
    }
}
