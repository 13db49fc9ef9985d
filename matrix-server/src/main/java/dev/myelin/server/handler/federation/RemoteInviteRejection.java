package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.UnpaddedBase64;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.event.EventHashes;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MakeJoinResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.persist.PersistedEvent;
import dev.myelin.storage.room.RemoteInvite;
import dev.myelin.storage.room.RemoteInviteStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rejecting an invite to a room this server does not take part in. The inviting server is asked
 * for a leave event ({@code GET /_matrix/federation/v1/make_leave}), which this server completes,
 * signs and hands back ({@code PUT /_matrix/federation/v2/send_leave}) for it to send into the
 * room. When that fails (the server cannot be reached, refuses, or answers with a template that is
 * not the user's leave), the invite is rejected here alone, as Synapse does: a leave made locally
 * on top of the invite, which only this server knows. Either way the leave is kept as an outlier,
 * the invite leaves the user's {@code /sync} and the room appears among the rooms they left.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#leaving-rooms-rejecting-invites">Leaving rooms (rejecting invites)</a>
 */
public final class RemoteInviteRejection {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteInviteRejection.class);

    private final ServerName serverName;
    private final SigningKey signingKey;
    private final FederationClient client;
    private final RemoteInviteStore invites;
    private final EventStore events;
    private final EventPersister persister;
    private final Notifier notifier;
    private final Clock clock;

    /**
     * @param client the federation client; tried even while the inviting server is in backoff, as
     *     the user waits for the answer
     */
    public RemoteInviteRejection(
            ServerName serverName,
            SigningKey signingKey,
            FederationClient client,
            RemoteInviteStore invites,
            EventStore events,
            EventPersister persister,
            Notifier notifier,
            Clock clock) {
        this.serverName = serverName;
        this.signingKey = signingKey;
        this.client = client.ignoringBackoff();
        this.invites = invites;
        this.events = events;
        this.persister = persister;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** The user's pending invite to the room, received from another server. */
    public Optional<RemoteInvite> pending(UserId user, RoomId room) {
        return invites.get(user, room).filter(RemoteInvite::pending);
    }

    /** Rejects {@code invite}, pending; returns the leave event kept. */
    public StoredEvent reject(RemoteInvite invite, Optional<String> reason) {
        Pdu inviteEvent = events.get(invite.inviteEventId())
                .map(StoredEvent::pdu)
                .orElseThrow(() -> MatrixException.unknown("The invite event is missing"));
        Pdu leave;
        try {
            leave = throughInvitingServer(invite, inviteEvent, reason);
        } catch (RuntimeException e) {
            LOG.info(
                    "Could not reject {} through {} ({}); rejecting it locally",
                    invite.inviteEventId(),
                    inviteEvent.sender().server(),
                    e.getMessage());
            leave = outOfBand(inviteEvent, reason);
        }
        PersistedEvent persisted = persister.persist(leave, EventContext.outlierEvent());
        invites.markRejected(invite.user(), invite.room(), persisted.eventId(), persisted.streamOrdering());
        notifier.wakeUser(invite.user());
        return events.get(persisted.eventId()).orElseThrow();
    }

    private Pdu throughInvitingServer(RemoteInvite invite, Pdu inviteEvent, Optional<String> reason) {
        ServerName destination = inviteEvent.sender().server();
        MakeJoinResponse answer = client.send(
                destination,
                EndpointCall.of(
                        FederationEndpoints.MAKE_LEAVE,
                        invite.room().value(),
                        invite.user().toString()));
        JsonNode template = answer.event() == null ? JsonNodeFactory.instance.objectNode() : answer.event();
        String versionId = answer.room_version() == null ? invite.roomVersion() : answer.room_version();
        RoomVersion version = RoomVersions.find(versionId)
                .orElseThrow(() -> new IllegalArgumentException("unsupported room version in make_leave"));
        String user = invite.user().toString();
        if (!template.path("type").asText("").equals("m.room.member")
                || !template.path("state_key").asText("").equals(user)
                || !template.path("sender").asText("").equals(user)
                || !template.path("room_id").asText("").equals(invite.room().value())
                || !template.path("content").path("membership").asText("").equals("leave")) {
            throw new IllegalArgumentException("make_leave answered with a template that is not the user's leave");
        }
        Map<EventId, String> hashes = new HashMap<>();
        List<EventId> prevs = edges(template.path("prev_events"), hashes);
        List<EventId> auths = edges(template.path("auth_events"), hashes);
        ObjectNode content = ((ObjectNode) template.get("content")).deepCopy();
        reason.ifPresent(r -> content.put("reason", r));
        PduBuilder builder = PduBuilder.forVersion(version)
                .roomId(invite.room())
                .sender(invite.user())
                .type("m.room.member")
                .stateKey(user)
                .content(content)
                .prevEvents(prevs)
                .authEvents(auths)
                .depth(template.path("depth").asLong(inviteEvent.depth() + 1))
                .originServerTs(clock.nowMillis());
        if (version.eventFormat().eventIdInEvent()) {
            builder.edgeReferenceHashes(hashes);
        }
        Pdu leave = builder.build(serverName, signingKey);
        ObjectNode body = ClientEvent.toFederationFormat(leave);
        client.send(
                destination,
                EndpointCall.of(
                        FederationEndpoints.SEND_LEAVE,
                        body,
                        invite.room().value(),
                        leave.eventId().value()));
        return leave;
    }

    /**
     * A leave only this server knows, on top of the invite: its prev event is the invite, its auth
     * events the invite's and the invite.
     */
    private Pdu outOfBand(Pdu inviteEvent, Optional<String> reason) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", "leave");
        reason.ifPresent(r -> content.put("reason", r));
        Map<EventId, String> hashes = new HashMap<>();
        List<EventId> auths = new ArrayList<>(edges(inviteEvent.json().path("auth_events"), hashes));
        auths.add(inviteEvent.eventId());
        hashes.put(inviteEvent.eventId(), UnpaddedBase64.encode(EventHashes.referenceHash(inviteEvent)));
        UserId user = UserId.parse(inviteEvent.stateKey().orElseThrow());
        PduBuilder builder = PduBuilder.forVersion(inviteEvent.version())
                .roomId(inviteEvent.roomId())
                .sender(user)
                .type("m.room.member")
                .stateKey(user.toString())
                .content(content)
                .prevEvents(List.of(inviteEvent.eventId()))
                .authEvents(auths)
                .depth(inviteEvent.depth() + 1)
                .originServerTs(clock.nowMillis());
        if (inviteEvent.version().eventFormat().eventIdInEvent()) {
            builder.edgeReferenceHashes(hashes);
        }
        return builder.build(serverName, signingKey);
    }

    /** The event ids of a {@code prev_events} or {@code auth_events} list of either format. */
    private static List<EventId> edges(JsonNode list, Map<EventId, String> hashes) {
        List<EventId> ids = new ArrayList<>();
        for (JsonNode entry : list) {
            if (entry.isTextual()) {
                ids.add(EventId.parse(entry.asText()));
            } else if (entry.isArray() && entry.path(0).isTextual()) {
                EventId id = EventId.parse(entry.get(0).asText());
                ids.add(id);
                if (entry.path(1).path("sha256").isTextual()) {
                    hashes.put(id, entry.get(1).get("sha256").asText());
                }
            }
        }
        return ids;
    }
}
