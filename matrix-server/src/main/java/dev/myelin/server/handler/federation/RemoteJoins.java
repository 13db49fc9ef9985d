package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.AuthResult;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.PduVerdict;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MakeJoinResponse;
import dev.myelin.federation.api.SendJoinResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationErrorException;
import dev.myelin.federation.client.FederationUnreachableException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimiter;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as the joining server: a local user joins a room this server is not in through a
 * server that is ({@code make_join}, then {@code send_join}), and the room's state and auth chain
 * from the answer, each event checked for its signatures and hashes and against its auth events,
 * become this server's copy of the room, with the join as its first timeline event.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#joining-rooms">Joining rooms</a>
 */
public final class RemoteJoins {
    /** The most state and auth chain events taken from one join (a bound against a hostile server). */
    public static final int MAX_JOIN_EVENTS = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJoins.class);
    private static final String MEMBER = "m.room.member";

    private final ServerName self;
    private final MembershipEvents membershipEvents;
    private final FederationClient client;
    private final EventCreator creator;
    private final RoomStore rooms;
    private final EventStore events;
    private final ReceivedEvents received;
    private final RateLimiter limiter;
    private final RateLimit perUser;

    public RemoteJoins(
            ServerName self,
            SigningKey signingKey,
            FederationClient client,
            EventCreator creator,
            RoomStore rooms,
            EventStore events,
            ReceivedEvents received,
            Clock clock,
            RateLimiter limiter,
            RateLimit perUser) {
        this.self = self;
        this.client = client;
        this.creator = creator;
        this.rooms = rooms;
        this.events = events;
        this.received = received;
        this.membershipEvents = new MembershipEvents(self, signingKey, clock);
        this.limiter = limiter;
        this.perUser = perUser;
    }

    /**
     * Joins {@code user} to {@code room} through the first of {@code servers} that lets it.
     *
     * @param content the join event's content besides {@code membership} (display name, reason)
     * @throws MatrixException 429 over {@code rc_joins.remote}, 404 when no server could be asked, 403 when they refused, 502 when
     *     none answered, 400 {@code M_INCOMPATIBLE_ROOM_VERSION} for a room version not supported here
     */
    public RoomId join(UserId user, RoomId room, List<ServerName> servers, ObjectNode content) {
        Set<ServerName> candidates = new LinkedHashSet<>(servers);
        candidates.remove(self);
        if (candidates.isEmpty()) {
            throw MatrixException.notFound("No known servers to join " + room + " through");
        }
        // rc_joins.remote: a join over federation costs other servers a state transfer
        limiter.check("join_remote", user.toString(), perUser);
        MatrixException last = null;
        for (ServerName server : candidates) {
            try {
                joinVia(server, user, room, content);
                return room;
            } catch (FederationErrorException e) {
                if (e.errcode().equals("M_INCOMPATIBLE_ROOM_VERSION")) {
                    MatrixException incompatible = new MatrixException(
                            400,
                            ErrorCode.INCOMPATIBLE_ROOM_VERSION,
                            "This server does not support the room's version");
                    // the client learns which version it would need, as the resident server said
                    JsonNode roomVersion = e.body().path("room_version");
                    throw roomVersion.isTextual() ? incompatible.withField("room_version", roomVersion) : incompatible;
                }
                LOG.info("joining {} via {} failed: {}", room, server, e.getMessage());
                last = passedOn(e, room);
            } catch (FederationUnreachableException | FederationDeniedException e) {
                LOG.info("joining {} via {} failed: {}", room, server, e.getMessage());
                if (last == null) {
                    last = new MatrixException(502, ErrorCode.UNKNOWN, "Failed to make_join via any server");
                }
            } catch (InvalidJoinException e) {
                LOG.warn("joining {} via {}: unusable answer: {}", room, server, e.getMessage());
                last = new MatrixException(
                        502, ErrorCode.UNKNOWN, "A server of the room answered badly: " + e.getMessage());
            }
        }
        throw last;
    }

    /** A refusal of the room's server, passed on to the client as it was given, as Synapse does. */
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
        return new MatrixException(502, ErrorCode.UNKNOWN, "Failed to make_join via any server: " + e.getMessage());
    }

    private void joinVia(ServerName server, UserId user, RoomId room, ObjectNode content) {
        EndpointCall<?, MakeJoinResponse> makeJoin = EndpointCall.of(FederationEndpoints.MAKE_JOIN, room, user);
        for (RoomVersion v : RoomVersions.all()) {
            makeJoin = makeJoin.query("ver", v.id());
        }
        MakeJoinResponse template = client.send(server, makeJoin);
        RoomVersion version = RoomVersions.find(template.room_version() == null ? "1" : template.room_version())
                .orElseThrow(() -> new MatrixException(
                        400, ErrorCode.INCOMPATIBLE_ROOM_VERSION, "This server does not support the room's version"));
        Pdu join = buildJoin(template.event(), version, room, user, content);
        SendJoinResponse answer = sendJoin(server, room, join);
        Optional<ServerName> authorising =
                EventAuthorizer.requiredSigningServer(join).filter(s -> !s.equals(self));
        if (answer.event() != null) {
            // a restricted join: the resident server's signature added to ours
            PduVerdict verdict = received.verify(answer.event(), version, received.keysFor(List.of(answer.event())));
            if (verdict instanceof PduVerdict.Accepted accepted
                    && accepted.event().eventId().equals(join.eventId())) {
                join = accepted.event();
                authorising = Optional.empty();
            }
        }
        if (authorising.isPresent()) {
            throw new InvalidJoinException("the join names an authorising user of " + authorising.get()
                    + " but the answer has no join signed by that server");
        }
        persistJoinedRoom(version, room, join, answer);
    }

    /**
     * {@code send_join} v2, or v1 for a server that does not know v2 (it answers 404 or 400
     * {@code M_UNRECOGNIZED}), whose answer is wrapped as {@code [200, answer]}.
     */
    private SendJoinResponse sendJoin(ServerName server, RoomId room, Pdu join) {
        ObjectNode json = ReceivedEvents.forFederation(join);
        try {
            return client.send(server, EndpointCall.of(FederationEndpoints.SEND_JOIN, json, room, join.eventId()));
        } catch (FederationErrorException e) {
            if (e.status() != 404 && !e.errcode().equals("M_UNRECOGNIZED")) {
                throw e;
            }
        }
        ArrayNode v1 =
                client.send(server, EndpointCall.of(FederationEndpoints.SEND_JOIN_V1, json, room, join.eventId()));
        if (v1.size() != 2 || !v1.get(1).isObject()) {
            throw new InvalidJoinException("the v1 send_join answer is not [200, {...}]");
        }
        try {
            return EndpointJson.fromTree(v1.get(1), SendJoinResponse.class);
        } catch (RuntimeException e) {
            throw new InvalidJoinException("the v1 send_join answer is not a send_join answer: " + e.getMessage());
        }
    }

    private Pdu buildJoin(ObjectNode template, RoomVersion version, RoomId room, UserId user, ObjectNode extra) {
        try {
            return membershipEvents.fromTemplate(template, version, room, user, "join", extra, 1);
        } catch (IllegalArgumentException e) {
            throw new InvalidJoinException("cannot build the join from the make_join template: " + e.getMessage());
        }
    }

    /**
     * Checks the state and auth chain the resident server sent and stores them as this server's
     * copy of the room: every event that is not validly signed, or that its own auth events do not
     * allow, is left out; the join must be allowed by the state that remains.
     */
    private void persistJoinedRoom(RoomVersion version, RoomId room, Pdu join, SendJoinResponse answer) {
        if (answer.state().size() + answer.auth_chain().size() > MAX_JOIN_EVENTS) {
            throw new InvalidJoinException("the room's state and auth chain are larger than " + MAX_JOIN_EVENTS);
        }
        List<ObjectNode> all = new ArrayList<>(answer.auth_chain());
        all.addAll(answer.state());
        KeyLookup keys = received.keysFor(all);
        Map<EventId, Pdu> accepted = new LinkedHashMap<>();
        Set<EventId> stateIds = new LinkedHashSet<>();
        int dropped = 0;
        for (int i = 0; i < all.size(); i++) {
            ObjectNode json = all.get(i);
            PduVerdict verdict = received.verify(json, version, keys);
            if (verdict instanceof PduVerdict.Accepted ok && ok.event().roomId().equals(room)) {
                accepted.putIfAbsent(ok.event().eventId(), ok.event());
                if (i >= answer.auth_chain().size()) {
                    stateIds.add(ok.event().eventId());
                }
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            LOG.warn("joining {}: {} events of the answer were not valid and are left out", room, dropped);
        }
        List<Pdu> ordered = new ArrayList<>(accepted.values());
        ordered.sort(Comparator.comparingLong(Pdu::depth)
                .thenComparing(p -> p.eventId().value()));
        Set<EventId> rejected = ReceivedStateCheck.rejected(version, accepted, id -> Optional.empty());
        Map<StateKey, EventId> state = new HashMap<>();
        Map<StateTuple, Pdu> stateEvents = new HashMap<>();
        for (EventId id : stateIds) {
            Pdu event = accepted.get(id);
            if (rejected.contains(id) || event.stateKey().isEmpty()) {
                continue;
            }
            state.put(StateKey.of(event.type(), event.stateKey().get()), id);
            stateEvents.put(new StateTuple(event.type(), event.stateKey().get()), event);
        }
        Pdu create = stateEvents.get(StateTuple.CREATE);
        if (create == null) {
            throw new InvalidJoinException("the room's state has no valid create event");
        }
        if (EventAuthorizer.check(join, (type, key) -> Optional.ofNullable(stateEvents.get(new StateTuple(type, key))))
                instanceof AuthResult.Rejected r) {
            throw new InvalidJoinException("the room's state does not allow the join: " + r.reason());
        }
        rooms.create(room, version, create.sender(), false);
        List<Pdu> outliers = ordered.stream()
                .filter(p -> !rejected.contains(p.eventId()) && !events.exists(p.eventId()))
                .toList();
        creator.persistOutliers(outliers);
        Pdu joinEvent = join;
        creator.withRoomLocked(room, () -> creator.persistReceived(joinEvent, EventContext.withStateBefore(state)));
    }

    /** The resident server's answer cannot make a room. */
    static final class InvalidJoinException extends RuntimeException {
        InvalidJoinException(String message) {
            super(message);
        }
    }
}
