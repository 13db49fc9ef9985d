package dev.myelin.server.replication;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.api.replication.SendEventsEndpoint;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.EventWriters;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event writers of a homeserver running as several processes: each room's events are created by the
 * writer {@code stream_writers.events} gives it ({@code writerOf}), which the others ask over the
 * {@code replication://} HTTP routes.
 */
public final class RemoteEventWriters implements EventWriters {
    private final Predicate<String> isSelf;
    private final Function<RoomId, String> writerOf;
    private final MatrixHttpClient http;
    private final ReplicationSecret secret;
    private final StreamIds streams;
    private static final Duration OWN_WRITES_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(RemoteEventWriters.class);

    /**
     * @param isSelf whether an instance name names this process
     * @param writerOf the instance that writes a room's events
     * @param http a client that knows the instances' addresses
     * @param streams this process's stream positions, which it waits to reach the created events'
     */
    public RemoteEventWriters(
            Predicate<String> isSelf,
            Function<RoomId, String> writerOf,
            MatrixHttpClient http,
            ReplicationSecret secret,
            StreamIds streams) {
        this.streams = streams;
        this.isSelf = isSelf;
        this.writerOf = writerOf;
        this.http = http;
        this.secret = secret;
    }

    @Override
    public Optional<String> writerElsewhere(RoomId room) {
        String writer = writerOf.apply(room);
        return isSelf.test(writer) ? Optional.empty() : Optional.of(writer);
    }

    @Override
    public List<EventId> createThere(String instance, RoomId room, List<EventRequest> requests) {
        Map<String, List<String>> headers = new HashMap<>();
        secret.authorization().ifPresent(a -> headers.put("Authorization", List.of(a)));
        OutboundRequest request = new OutboundRequest(
                "POST",
                URI.create("replication://" + instance + SendEventsEndpoint.SPEC.pathOf()),
                headers,
                Optional.of(new OutboundRequest.Body(
                        "application/json", EndpointJson.toBytes(SendEventsEndpoint.toWire(room, requests)))));
        OutboundResponse response;
        try {
            response = http.send(request);
        } catch (OutboundHttpException | IllegalArgumentException e) {
            throw new MatrixException(
                    503,
                    ErrorCode.of("M_UNKNOWN"),
                    "The process that writes events of " + room + " (" + instance + ") cannot be reached; try again");
        }
        if (response.status() != 200) {
            com.fasterxml.jackson.databind.JsonNode body;
            try {
                body = EndpointJson.fromBytes(response.body(), com.fasterxml.jackson.databind.JsonNode.class);
            } catch (RuntimeException notJson) {
                body = null;
            }
            throw MatrixException.fromJson(response.status(), body);
        }
        SendEventsEndpoint.Response created =
                EndpointJson.fromBytes(response.body(), SendEventsEndpoint.Response.class);
        if (created.eventIds() == null || created.eventIds().size() != requests.size()) {
            throw MatrixException.unknown("The event writer " + instance + " answered badly");
        }
        awaitPosition(created.streamPosition());
        return created.eventIds().stream().map(EventId::parse).toList();
    }

    /** Until this process sees the events written there (read-your-writes for the client here), within a bound. */
    private void awaitPosition(long position) {
        try {
            streams.reached(Stream.EVENTS, position).get(OWN_WRITES_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Events stream position {} not reached here within {} ms", position, OWN_WRITES_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("stream waits never fail", e);
        }
    }
}
