package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.EventSigning;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.Pdus;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.PduVerdict;
import dev.myelin.core.pdu.ReceivedPduCheck;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.persist.PersistedEvent;
import dev.myelin.storage.room.BlockedRoomStore;
import dev.myelin.storage.room.RemoteInvite;
import dev.myelin.storage.room.RemoteInviteStore;
import dev.myelin.storage.state.StateStore;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invites of local users received from other servers ({@code PUT /_matrix/federation/v2/invite}
 * and v1): the event is checked, signed by this server, and kept so that the invitee sees it in
 * {@code /sync} and can reject it.
 *
 * <p>Checks, each a Matrix error: the room version must be one this server supports (400 {@code
 * M_INCOMPATIBLE_ROOM_VERSION} with {@code room_version}); the event must be a valid event of it
 * (400 {@code M_BAD_JSON}), with the event and room ids of the path (400 {@code M_INVALID_PARAM});
 * an {@code m.room.member} invite (400 {@code M_INVALID_PARAM}), sent by a user of the origin
 * (400 {@code M_INVALID_PARAM}, the spec's choice), for a local user (400 {@code M_INVALID_PARAM});
 * signed by the sender's server with its content hash intact (403 {@code M_FORBIDDEN}, as Synapse
 * answers); from a server the room's ACL allows (403 {@code M_FORBIDDEN}). Whether the invitee
 * has an account is not checked: the spec defines no such answer, and Synapse, like this server,
 * keeps the invite for a local user id whatever its account.
 *
 * <p>When a local user is joined to the room, the invite is only signed: the inviting server sends
 * it into the room as to any server in it. Otherwise the invite is kept as an outlier in {@code
 * events} with a {@code remote_invites} row holding the stripped state sent with it (objects with
 * {@code type} and {@code state_key}; full events are stripped to {@code type}, {@code state_key},
 * {@code content} and {@code sender}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv2inviteroomideventid">PUT /invite (v2)</a>
 */
public final class InboundInvites {
    private static final Logger LOG = LoggerFactory.getLogger(InboundInvites.class);

    private final ServerName serverName;
    private final SigningKey signingKey;
    private final KeyLookup keys;
    private final EventPersister persister;
    private final StateStore state;
    private final RemoteInviteStore invites;
    private final Notifier notifier;
    private final RoomServerAcls acls;
    private final BlockedRoomStore blocked;

    public InboundInvites(
            ServerName serverName,
            SigningKey signingKey,
            KeyLookup keys,
            EventPersister persister,
            StateStore state,
            RemoteInviteStore invites,
            Notifier notifier,
            RoomServerAcls acls,
            BlockedRoomStore blocked) {
        this.serverName = serverName;
        this.signingKey = signingKey;
        this.keys = keys;
        this.persister = persister;
        this.state = state;
        this.invites = invites;
        this.notifier = notifier;
        this.acls = acls;
        this.blocked = blocked;
    }

    /**
     * An invite one server sent.
     *
     * @param origin the server that sent it (authenticated)
     * @param roomId the room id of the path
     * @param eventId the event id of the path
     * @param roomVersion the room's version id
     * @param event the invite event
     * @param inviteRoomState what the sender says the room looks like, to show the invitee
     */
    public record Invite(
            ServerName origin,
            String roomId,
            String eventId,
            String roomVersion,
            JsonNode event,
            JsonNode inviteRoomState) {}

    /** Checks, signs and keeps {@code invite}; returns the event with this server's signature. */
    public ObjectNode receive(Invite invite) {
        RoomVersion version = RoomVersions.find(invite.roomVersion())
                .orElseThrow(() -> new MatrixException(
                                400,
                                ErrorCode.INCOMPATIBLE_ROOM_VERSION,
                                "Homeserver does not support this room version")
                        .withField("room_version", JsonNodeFactory.instance.textNode(invite.roomVersion())));
        if (!(invite.event() instanceof ObjectNode eventJson)) {
            throw MatrixException.badJson("'event' must be an object");
        }
        Pdu pdu;
        try {
            if (version.strictCanonicalJson()) {
                CanonicalJson.checkValue(eventJson, "event");
            }
            pdu = Pdus.fromJson(eventJson, version);
        } catch (RuntimeException e) {
            throw MatrixException.badJson("Invalid invite event: " + e.getMessage());
        }
        if (!pdu.eventId().value().equals(invite.eventId())) {
            throw MatrixException.invalidParam("eventId", "The event id does not match the event");
        }
        if (!pdu.roomId().value().equals(invite.roomId())) {
            throw MatrixException.invalidParam("roomId", "The room id does not match the event");
        }
        // a server the room's ACL denies learns nothing more about this server's users
        acls.check(pdu.roomId(), invite.origin());
        // an admin shut the room down: nobody of this server is to be drawn back in
        if (blocked.blockedBy(pdu.roomId()).isPresent()) {
            throw MatrixException.forbidden("This room has been blocked on this server");
        }
        if (!pdu.type().equals("m.room.member")
                || pdu.stateKey().isEmpty()
                || !pdu.content().path("membership").asText("").equals("invite")) {
            throw MatrixException.invalidParam("event", "The event was not an m.room.member invite event");
        }
        if (!pdu.sender().server().equals(invite.origin())) {
            throw MatrixException.invalidParam("event", "The invite event was not from the server sending it");
        }
        UserId invitee;
        try {
            invitee = UserId.parse(pdu.stateKey().get());
        } catch (RuntimeException e) {
            throw MatrixException.invalidParam("event", "The invite's state_key is not a user id");
        }
        if (!invitee.server().equals(serverName)) {
            throw MatrixException.invalidParam("event", "The invite event must be for this server");
        }
        PduVerdict verdict = ReceivedPduCheck.verify(eventJson, version, keys);
        if (verdict instanceof PduVerdict.Dropped dropped) {
            throw MatrixException.forbidden("event id " + pdu.eventId() + ": " + dropped.reason());
        }
        if (verdict instanceof PduVerdict.Accepted accepted && accepted.redacted()) {
            throw MatrixException.forbidden("event id " + pdu.eventId() + ": the content hash does not match");
        }
        if (verdict instanceof PduVerdict.Rejected rejected) {
            throw MatrixException.forbidden(rejected.reason());
        }
        ObjectNode signed = EventSigning.sign(Pdus.federationJson(pdu), version, serverName, signingKey);
        // what the sender put in unsigned (v1's invite_room_state) is not kept with the event
        ObjectNode keptJson = signed.deepCopy();
        keptJson.remove("unsigned");
        Pdu kept = Pdus.fromJson(keptJson, version);
        if (state.joinedMembers(pdu.roomId()).stream().anyMatch(u -> u.server().equals(serverName))) {
            // this server is in the room: the invite arrives in a transaction like any event of it
            return signed;
        }
        keep(kept, invite.origin(), strippedState(invite.inviteRoomState()));
        return signed;
    }

    private void keep(Pdu invite, ServerName origin, ArrayNode inviteState) {
        UserId invitee = UserId.parse(invite.stateKey().orElseThrow());
        RoomId room = invite.roomId();
        Optional<RemoteInvite> known = invites.get(invitee, room);
        if (known.isPresent() && known.get().inviteEventId().equals(invite.eventId())) {
            return; // the same invite sent again
        }
        PersistedEvent persisted = persister.persist(invite, EventContext.outlierEvent());
        invites.record(new RemoteInvite(
                invitee,
                room,
                invite.eventId(),
                persisted.streamOrdering(),
                invite.version().id(),
                origin,
                inviteState,
                Optional.empty(),
                OptionalLong.empty()));
        LOG.info("{} invited {} to {} ({})", invite.sender(), invitee, room, invite.eventId());
        notifier.wakeUser(invitee);
    }

    /** The entries of {@code invite_room_state} that name a state event, stripped. */
    private static ArrayNode strippedState(JsonNode given) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (given == null || !given.isArray()) {
            return out;
        }
        for (JsonNode entry : given) {
            if (!entry.path("type").isTextual() || !entry.path("state_key").isTextual()) {
                continue;
            }
            ObjectNode stripped = out.addObject();
            stripped.put("type", entry.get("type").asText());
            stripped.put("state_key", entry.get("state_key").asText());
            stripped.set(
                    "content",
                    entry.path("content").isObject()
                            ? entry.get("content").deepCopy()
                            : JsonNodeFactory.instance.objectNode());
            if (entry.path("sender").isTextual()) {
                stripped.put("sender", entry.get("sender").asText());
            }
        }
        return out;
    }
}
