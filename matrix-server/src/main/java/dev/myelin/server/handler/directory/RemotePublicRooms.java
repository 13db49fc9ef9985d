package dev.myelin.server.handler.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.PublicRoomsRequest;
import dev.myelin.federation.api.PublicRoomsResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationErrorException;
import dev.myelin.federation.client.FederationUnreachableException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another server's published room directory, for a client's {@code /publicRooms?server=}: asked
 * of that server with {@code GET} or {@code POST /_matrix/federation/v1/publicRooms} and passed on
 * as it answers. Its refusals (e.g. 403 when it does not publish its directory over federation)
 * reach the client with their status and errcode; a server that cannot be reached or answers
 * something else is 502, as Synapse answers.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#public-room-directory">spec</a>
 */
public final class RemotePublicRooms {
    private static final Logger LOG = LoggerFactory.getLogger(RemotePublicRooms.class);

    private final FederationClient federation;

    public RemotePublicRooms(FederationClient federation) {
        this.federation = federation;
    }

    /** A page of {@code server}'s directory. */
    public JsonNode list(ServerName server, Optional<Integer> limit, Optional<String> since) {
        EndpointCall<?, PublicRoomsResponse> call = EndpointCall.of(FederationEndpoints.PUBLIC_ROOMS);
        if (limit.isPresent()) {
            call = call.query("limit", limit.get());
        }
        if (since.isPresent()) {
            call = call.query("since", since.get());
        }
        EndpointCall<?, PublicRoomsResponse> request = call;
        return ask(server, () -> federation.send(server, request));
    }

    /** {@code server}'s directory searched with {@code search}'s filter. */
    public JsonNode search(ServerName server, PublicRoomsRequest search) {
        return ask(
                server,
                () -> federation.send(server, EndpointCall.of(FederationEndpoints.SEARCH_PUBLIC_ROOMS, search)));
    }

    private static JsonNode ask(ServerName server, Supplier<PublicRoomsResponse> request) {
        try {
            return EndpointJson.toTree(request.get());
        } catch (FederationErrorException e) {
            if (e.status() >= 400 && e.status() < 500) {
                throw new MatrixException(e.status(), ErrorCode.of(e.errcode()), e.error());
            }
            throw failed(server, e);
        } catch (FederationDeniedException e) {
            throw e.toMatrixException();
        } catch (FederationUnreachableException e) {
            throw failed(server, e);
        } catch (RuntimeException e) {
            // an answer that is not a directory page
            throw failed(server, e);
        }
    }

    private static MatrixException failed(ServerName server, RuntimeException e) {
        LOG.info("public room list of {} failed: {}", server, e.getMessage());
        return new MatrixException(502, ErrorCode.UNKNOWN, "Failed to fetch room list");
    }
}
