package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SignatureVerificationException;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.Pdus;
import dev.myelin.core.event.Redaction;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationDeniedException;
import dev.myelin.federation.client.FederationErrorException;
import dev.myelin.federation.client.FederationUnreachableException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inviting another server's user: before the invite is persisted, the invitee's server is asked to
 * sign it ({@code PUT /_matrix/federation/v2/invite}, with the room's stripped state), and the
 * answer must be the same event signed by that server as well, checked with its keys. The event
 * persisted carries both signatures.
 *
 * <p>Errors reach the inviting client as Synapse gives them: the invitee server's own refusal as it
 * answered (its 403 {@code M_FORBIDDEN}, for one); a server that cannot be reached 502 {@code
 * M_UNKNOWN}; an answer that is not a valid event 400 {@code M_BAD_JSON}; one without a valid
 * signature of the invitee's server 403 {@code M_FORBIDDEN}. A server that does not know the v2
 * endpoint is asked with v1 in room versions 1 and 2 and refused ({@code
 * M_UNSUPPORTED_ROOM_VERSION}) in later ones. As the spec asks, the invitee server's {@code
 * M_MISSING_PARAM} or {@code M_INVALID_PARAM} (a fault in the request this server made) is a 502.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#inviting-to-a-room">Inviting to a room</a>
 */
public final class InviteExchange {
    private static final Logger LOG = LoggerFactory.getLogger(InviteExchange.class);

    /**
     * The state an invitee's server is given to show the room with, as Synapse shares it, and
     * {@code m.room.guest_access}, by which that server decides whether an invited guest may join.
     */
    public static final List<String> INVITE_STATE_TYPES = List.of(
            "m.room.create",
            "m.room.guest_access",
            "m.room.join_rules",
            "m.room.name",
            "m.room.avatar",
            "m.room.canonical_alias",
            "m.room.encryption",
            "m.room.topic");

    private final FederationClient client;
    private final StateStore state;
    private final EventStore events;
    private final KeyLookup keys;

    /**
     * @param client the federation client; invites are tried even while the invitee's server is
     *     in backoff, as the inviting user waits for the answer
     */
    public InviteExchange(FederationClient client, StateStore state, EventStore events, KeyLookup keys) {
        this.client = client.ignoringBackoff();
        this.state = state;
        this.events = events;
        this.keys = keys;
    }

    /**
     * The invite {@code invite} (of a user of another server, not yet persisted) as its invitee's
     * server signed it too.
     *
     * @throws MatrixException when that server refuses, cannot be reached, or answers wrongly
     */
    public Pdu exchange(Pdu invite) {
        UserId invitee = UserId.parse(invite.stateKey().orElseThrow());
        ServerName destination = invitee.server();
        RoomVersion version = invite.version();
        ObjectNode eventJson = ClientEvent.toFederationFormat(invite);
        eventJson.remove("unsigned");
        ArrayNode inviteState = inviteState(invite);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("event", eventJson.deepCopy());
        body.put("room_version", version.id());
        body.set("invite_room_state", inviteState);
        JsonNode returned;
        try {
            returned = sendV2(destination, invite, body, eventJson, inviteState);
        } catch (FederationUnreachableException e) {
            LOG.info("Invite {} could not reach {}: {}", invite.eventId(), destination, e.getMessage());
            throw new MatrixException(502, ErrorCode.UNKNOWN, "Can't connect to server " + destination);
        } catch (FederationDeniedException e) {
            throw MatrixException.forbidden("Federation denied with " + destination + ".");
        }
        if (!(returned instanceof ObjectNode returnedEvent)) {
            throw new MatrixException(502, ErrorCode.UNKNOWN, destination + " did not return the invite event");
        }
        return checked(invite, returnedEvent, destination);
    }

    private JsonNode sendV2(
            ServerName destination, Pdu invite, ObjectNode body, ObjectNode eventJson, ArrayNode inviteState) {
        try {
            ObjectNode answer = client.send(
                    destination,
                    EndpointCall.of(
                            FederationEndpoints.INVITE_V2,
                            body,
                            invite.roomId().value(),
                            invite.eventId().value()));
            return answer.get("event");
        } catch (FederationErrorException e) {
            if (!unknownEndpoint(e)) {
                throw passedOn(e);
            }
            if (!invite.version().eventFormat().eventIdInEvent()) {
                throw new MatrixException(
                        400,
                        ErrorCode.UNSUPPORTED_ROOM_VERSION,
                        "User's homeserver does not support this room version");
            }
        }
        ObjectNode v1 = eventJson.deepCopy();
        v1.putObject("unsigned").set("invite_room_state", inviteState);
        try {
            JsonNode answer = client.send(
                    destination,
                    EndpointCall.of(
                            FederationEndpoints.INVITE_V1,
                            v1,
                            invite.roomId().value(),
                            invite.eventId().value()));
            // v1 answers [200, {"event": ...}]
            return answer.path(1).get("event");
        } catch (FederationErrorException e) {
            throw passedOn(e);
        }
    }

    private static boolean unknownEndpoint(FederationErrorException e) {
        // a 404 or 405 that is a Matrix error other than M_UNRECOGNIZED is the endpoint's own answer
        boolean unrecognized = e.errcode().equals(ErrorCode.UNRECOGNIZED.value());
        return ((e.status() == 404 || e.status() == 405)
                        && (unrecognized || e.errcode().equals(ErrorCode.UNKNOWN.value())))
                || (e.status() == 400 && unrecognized);
    }

    private static MatrixException passedOn(FederationErrorException e) {
        if (e.status() >= 500
                || e.errcode().equals(ErrorCode.MISSING_PARAM.value())
                || e.errcode().equals(ErrorCode.INVALID_PARAM.value())) {
            return new MatrixException(
                    502, ErrorCode.UNKNOWN, e.destination() + " could not take the invite: " + e.getMessage());
        }
        return new MatrixException(e.status(), new ErrorCode(e.errcode()), e.error());
    }

    /**
     * {@code returned} must be {@code invite} as sent, with the invitee server's valid signature;
     * the event kept is the one sent with that signature added.
     */
    private Pdu checked(Pdu invite, ObjectNode returned, ServerName destination) {
        Pdu answer;
        try {
            if (invite.version().strictCanonicalJson()) {
                CanonicalJson.checkValue(returned, "event");
            }
            answer = Pdus.fromJson(returned, invite.version());
        } catch (RuntimeException e) {
            throw MatrixException.badJson(
                    "The invite returned by " + destination + " is not a valid event: " + e.getMessage());
        }
        if (!answer.eventId().equals(invite.eventId()) || !sameEvent(invite, returned)) {
            throw MatrixException.forbidden(destination + " returned a different event than the invite sent");
        }
        ObjectNode redacted = Redaction.redact(Pdus.federationJson(answer), answer.version());
        try {
            JsonSigning.verifyWithKnownKeys(redacted, destination.value(), knownKeys(answer, redacted, destination));
        } catch (SignatureVerificationException e) {
            throw MatrixException.forbidden("event id " + invite.eventId() + ": " + e.getMessage());
        }
        ObjectNode merged = invite.json();
        JsonNode theirs = returned.path("signatures").path(destination.value());
        ((ObjectNode) merged.get("signatures")).set(destination.value(), theirs.deepCopy());
        return Pdus.fromJson(merged, invite.version());
    }

    /** Whether {@code returned} is {@code invite} but for signatures and {@code unsigned}. */
    private static boolean sameEvent(Pdu invite, ObjectNode returned) {
        ObjectNode sent = Pdus.federationJson(invite);
        ObjectNode back = returned.deepCopy();
        for (ObjectNode json : List.of(sent, back)) {
            json.remove("signatures");
            json.remove("unsigned");
            if (!invite.version().eventFormat().eventIdInEvent()) {
                json.remove("event_id");
            }
        }
        try {
            return Arrays.equals(CanonicalJson.encode(sent), CanonicalJson.encode(back));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Map<SigningKeyId, VerifyKey> knownKeys(Pdu pdu, ObjectNode redacted, ServerName server) {
        Map<SigningKeyId, VerifyKey> known = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry :
                redacted.path("signatures").path(server.value()).properties()) {
            SigningKeyId keyId;
            try {
                keyId = SigningKeyId.parse(entry.getKey());
            } catch (InvalidIdentifierException e) {
                continue;
            }
            Optional<ServerKey> key = keys.find(server, keyId);
            if (key.isPresent()
                    && (!pdu.version().enforceKeyValidity() || key.get().validUntilTs() >= pdu.originServerTs())) {
                known.put(keyId, key.get().key());
            }
        }
        return known;
    }

    /**
     * The stripped state sent with an invite: the room's current state of {@link
     * #INVITE_STATE_TYPES} and the inviter's own membership, each as {@code type}, {@code
     * state_key}, {@code content} and {@code sender}.
     */
    private ArrayNode inviteState(Pdu invite) {
        List<StateKey> wanted = new ArrayList<>();
        INVITE_STATE_TYPES.forEach(type -> wanted.add(StateKey.of(type, "")));
        wanted.add(StateKey.member(invite.sender().toString()));
        Map<StateKey, EventId> ids = state.currentState(invite.roomId(), wanted);
        Map<EventId, StoredEvent> loaded = events.getAll(List.copyOf(ids.values()));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (StateKey key : wanted) {
            EventId id = ids.get(key);
            StoredEvent event = id == null ? null : loaded.get(id);
            if (event != null) {
                out.addObject()
                        .put("type", event.pdu().type())
                        .put("state_key", event.pdu().stateKey().orElse(""))
                        .put("sender", event.pdu().sender().toString())
                        .set("content", event.pdu().content().deepCopy());
            }
        }
        return out;
    }
}
