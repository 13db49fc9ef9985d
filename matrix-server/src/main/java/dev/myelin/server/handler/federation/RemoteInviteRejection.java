package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.event.Pdu;
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

    private final MembershipEvents membershipEvents;
    private final FederationClient client;
    private final RemoteInviteStore invites;
    private final EventStore events;
    private final EventPersister persister;
    private final Notifier notifier;

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
        this.client = client.ignoringBackoff();
        this.invites = invites;
        this.events = events;
        this.persister = persister;
        this.notifier = notifier;
        this.membershipEvents = new MembershipEvents(serverName, signingKey, clock);
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
            leave = membershipEvents.leaveAfter(inviteEvent, reason);
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
        Pdu leave = membershipEvents.fromTemplate(
                template,
                version,
                invite.room(),
                invite.user(),
                "leave",
                reason.map(r -> JsonNodeFactory.instance.objectNode().put("reason", r))
                        .orElseGet(JsonNodeFactory.instance::objectNode),
                inviteEvent.depth() + 1);
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
}
