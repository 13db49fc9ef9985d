package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MakeJoinResponse;
import dev.myelin.federation.api.SendKnockResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationErrorException;
import dev.myelin.federation.client.FederationUnreachableException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.persist.PersistedEvent;
import dev.myelin.storage.room.RemoteKnock;
import dev.myelin.storage.room.RemoteKnockStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as the knocking server: a local user knocks on a room this server is not in through
 * a server that is ({@code make_knock}, then {@code send_knock}); the knock is kept as an outlier
 * with the stripped state the resident server answered with, which {@code /sync} shows in {@code
 * rooms.knock}. Rescinding the knock ({@code /leave}) goes through the same server ({@code
 * make_leave}, {@code send_leave}); when that fails, the knock is rescinded here alone with a leave
 * on top of it, as a rejected invite is.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#knocking-upon-a-room">Knocking upon a room</a>
 */
public final class RemoteKnocks {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteKnocks.class);
    private static final String MEMBER = "m.room.member";
    /** The most stripped state events kept from a knock's answer (a bound against a hostile server). */
    private static final int MAX_KNOCK_STATE = 100;

    private final ServerName self;
    private final MembershipEvents membershipEvents;
    private final FederationClient client;
    private final RemoteKnockStore knocks;
    private final EventStore events;
    private final EventPersister persister;
    private final Notifier notifier;

    /** @param client the federation client; tried even while a server is in backoff, as the user waits */
    public RemoteKnocks(
            ServerName self,
            SigningKey signingKey,
            FederationClient client,
            RemoteKnockStore knocks,
            EventStore events,
            EventPersister persister,
            Notifier notifier,
            Clock clock) {
        this.self = self;
        this.membershipEvents = new MembershipEvents(self, signingKey, clock);
        this.client = client.ignoringBackoff();
        this.knocks = knocks;
        this.events = events;
        this.persister = persister;
        this.notifier = notifier;
    }

    /** The user's pending knock on the room, made through another server. */
    public Optional<RemoteKnock> pending(UserId user, RoomId room) {
        return knocks.get(user, room).filter(RemoteKnock::pending);
    }

    /**
     * Knocks on {@code room} for {@code user} through the first of {@code servers} that lets it.
     *
     * @param content the knock's content besides {@code membership} (reason, display name)
     * @throws MatrixException 404 when no server could be asked or none knows the room, the refusal of
     *     the room's server as it gave it (403 when the room does not allow knocking), 400 {@code
     *     M_INCOMPATIBLE_ROOM_VERSION} for a room version without knocking or not supported here, 502
     *     when none answered
     */
    public void knock(UserId user, RoomId room, List<ServerName> servers, ObjectNode content) {
        Set<ServerName> candidates = new LinkedHashSet<>(servers);
        candidates.remove(self);
        if (candidates.isEmpty()) {
            throw MatrixException.notFound("No known servers to knock on " + room + " through");
        }
        MatrixException last = null;
        for (ServerName server : candidates) {
            try {
                knockVia(server, user, room, content);
                return;
            } catch (FederationErrorException e) {
                LOG.info("knocking on {} via {} failed: {}", room, server, e.getMessage());
                if (e.errcode().equals(ErrorCode.INCOMPATIBLE_ROOM_VERSION.value())) {
                    throw new MatrixException(
                            400, ErrorCode.INCOMPATIBLE_ROOM_VERSION, "This server cannot knock on the room's version");
                }
                last = passedOn(e, room);
            } catch (FederationUnreachableException | FederationDeniedException e) {
                LOG.info("knocking on {} via {} failed: {}", room, server, e.getMessage());
                if (last == null) {
                    last = new MatrixException(502, ErrorCode.UNKNOWN, "Failed to make_knock via any server");
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("knocking on {} via {}: unusable answer: {}", room, server, e.getMessage());
                last = new MatrixException(
                        502, ErrorCode.UNKNOWN, "A server of the room answered badly: " + e.getMessage());
            }
        }
        throw last;
    }

    private static MatrixException passedOn(FederationErrorException e, RoomId room) {
        if (e.status() == 404) {
            return MatrixException.notFound("No server knows room " + room);
        }
        if (e.status() >= 400 && e.status() < 500) {
            try {
                return new MatrixException(e.status(), new ErrorCode(e.errcode()), e.getMessage());
            } catch (IllegalArgumentException notAnErrcode) {
                return MatrixException.forbidden(e.getMessage());
            }
        }
        return new MatrixException(502, ErrorCode.UNKNOWN, "Failed to make_knock via any server: " + e.getMessage());
    }

    private void knockVia(ServerName server, UserId user, RoomId room, ObjectNode extra) {
        EndpointCall<?, MakeJoinResponse> makeKnock =
                EndpointCall.of(FederationEndpoints.MAKE_KNOCK, room.value(), user.toString());
        for (RoomVersion v : RoomVersions.all()) {
            if (v.auth().knocking()) {
                makeKnock = makeKnock.query("ver", v.id());
            }
        }
        MakeJoinResponse answer = client.send(server, makeKnock);
        RoomVersion version = RoomVersions.find(answer.room_version() == null ? "1" : answer.room_version())
                .filter(v -> v.auth().knocking())
                .orElseThrow(() -> new MatrixException(
                        400, ErrorCode.INCOMPATIBLE_ROOM_VERSION, "This server cannot knock on the room's version"));
        Pdu knock = membershipEvents.fromTemplate(answer.event(), version, room, user, "knock", extra, 1);
        SendKnockResponse sent = client.send(
                server,
                EndpointCall.of(
                        FederationEndpoints.SEND_KNOCK,
                        ReceivedEvents.forFederation(knock),
                        room.value(),
                        knock.eventId().value()));
        PersistedEvent persisted = persister.persist(knock, EventContext.outlierEvent());
        knocks.record(new RemoteKnock(
                user,
                room,
                persisted.eventId(),
                persisted.streamOrdering(),
                version.id(),
                server,
                stripped(sent.knock_room_state()),
                Optional.empty(),
                OptionalLong.empty()));
        notifier.wakeUser(user);
    }

    /** Rescinds {@code knock}, pending; returns the leave event kept. */
    public StoredEvent rescind(RemoteKnock knock, Optional<String> reason) {
        Pdu knockEvent = events.get(knock.knockEventId())
                .map(StoredEvent::pdu)
                .orElseThrow(() -> MatrixException.unknown("The knock event is missing"));
        Pdu leave;
        try {
            leave = throughResident(knock, knockEvent, reason);
        } catch (RuntimeException e) {
            LOG.info(
                    "Could not rescind {} through {} ({}); rescinding it locally",
                    knock.knockEventId(),
                    knock.resident(),
                    e.getMessage());
            leave = membershipEvents.leaveAfter(knockEvent, reason);
        }
        PersistedEvent persisted = persister.persist(leave, EventContext.outlierEvent());
        knocks.markRescinded(knock.user(), knock.room(), persisted.eventId(), persisted.streamOrdering());
        notifier.wakeUser(knock.user());
        return events.get(persisted.eventId()).orElseThrow();
    }

    private Pdu throughResident(RemoteKnock knock, Pdu knockEvent, Optional<String> reason) {
        MakeJoinResponse answer = client.send(
                knock.resident(),
                EndpointCall.of(
                        FederationEndpoints.MAKE_LEAVE,
                        knock.room().value(),
                        knock.user().toString()));
        RoomVersion version = RoomVersions.find(
                        answer.room_version() == null ? knock.roomVersion() : answer.room_version())
                .orElseThrow(() -> new IllegalArgumentException("unsupported room version in make_leave"));
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        reason.ifPresent(r -> extra.put("reason", r));
        Pdu leave = membershipEvents.fromTemplate(
                answer.event(), version, knock.room(), knock.user(), "leave", extra, knockEvent.depth() + 1);
        client.send(
                knock.resident(),
                EndpointCall.of(
                        FederationEndpoints.SEND_LEAVE,
                        ReceivedEvents.forFederation(leave),
                        knock.room().value(),
                        leave.eventId().value()));
        return leave;
    }

    /** The entries of {@code knock_room_state} that name a state event, stripped, at most {@link #MAX_KNOCK_STATE}. */
    private static ArrayNode stripped(List<ObjectNode> given) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (ObjectNode entry : given) {
            if (out.size() >= MAX_KNOCK_STATE) {
                break;
            }
            if (!entry.path("type").isTextual()
                    || !entry.path("state_key").isTextual()
                    || !entry.path("content").isObject()) {
                continue;
            }
            ObjectNode kept = out.addObject();
            kept.put("type", entry.get("type").asText());
            kept.put("state_key", entry.get("state_key").asText());
            kept.set("content", entry.get("content").deepCopy());
            if (entry.path("sender").isTextual()) {
                kept.put("sender", entry.get("sender").asText());
            }
        }
        return out;
    }
}
