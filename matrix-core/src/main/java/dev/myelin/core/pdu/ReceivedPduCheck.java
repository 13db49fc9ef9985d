package dev.myelin.core.pdu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.AuthResult;
import dev.myelin.core.auth.AuthState;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SignatureVerificationException;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.event.EventHashes;
import dev.myelin.core.event.EventSignatures;
import dev.myelin.core.event.EventTooLargeException;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduLimits;
import dev.myelin.core.event.Pdus;
import dev.myelin.core.event.Redaction;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.room.RoomVersion;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The checks on receipt of a PDU, steps 1 to 6, as pure decisions. {@link #verify} makes steps 1
 * to 3 (the event's format and size, its signatures, its content hash), whose outcome is
 * {@link PduVerdict.Accepted} (with the redacted form when the hash did not match) or
 * {@link PduVerdict.Dropped}. {@link #authorize} makes steps 4 to 6 (the authorization rules
 * against the event's auth events, the state before it and the current state), whose outcome is
 * accepted, {@link PduVerdict.Rejected} or {@link PduVerdict.SoftFailed}. {@link #check} runs all
 * six.
 *
 * <p>Keys come from a {@link KeyLookup} the caller supplies. In room versions that
 * {@linkplain RoomVersion#enforceKeyValidity() enforce key validity} (5 and later) a key whose
 * {@code valid_until_ts} is before the event's {@code origin_server_ts} is treated as unknown; the
 * event's own timestamp is the only time used, so there is no clock here.
 *
 * <p>Not covered: Policy Server signatures.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu">Checks performed on receipt of a PDU</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#validating-hashes-and-signatures-on-received-events">Validating hashes and signatures on received events</a>
 */
public final class ReceivedPduCheck {
    private ReceivedPduCheck() {}

    /**
     * Runs steps 1 to 3 on {@code json}, an event as received in a transaction or response, for a
     * room of {@code version}. One authorization rule is checked here too, because it needs keys:
     * a member event with {@code join_authorised_via_users_server} (room versions with restricted
     * joins) must be signed by that user's server, else it is {@link PduVerdict.Rejected} at step 4.
     */
    public static PduVerdict verify(ObjectNode json, RoomVersion version, KeyLookup keys) {
        Objects.requireNonNull(keys, "keys");
        Pdu pdu;
        try {
            pdu = checkFormat(json, version);
        } catch (IllegalArgumentException e) {
            return new PduVerdict.Dropped(PduCheckStep.FORMAT, reason(e));
        }
        try {
            checkSignatures(pdu, keys);
        } catch (SignatureVerificationException e) {
            return new PduVerdict.Dropped(PduCheckStep.SIGNATURES, reason(e));
        }
        PduVerdict.Accepted accepted = checkContentHash(pdu);
        Optional<ServerName> authoriser = EventAuthorizer.requiredSigningServer(pdu);
        if (authoriser.isPresent()) {
            try {
                checkSignature(pdu, authoriser.get(), keys);
            } catch (SignatureVerificationException e) {
                return new PduVerdict.Rejected(
                        accepted.event(),
                        PduCheckStep.AUTH_EVENTS,
                        "m.room.member: not validly signed by the server of join_authorised_via_users_server: "
                                + reason(e));
            }
        }
        return accepted;
    }

    /**
     * Runs steps 1 to 6 on {@code json}: {@link #verify}, then, for an accepted event (redacted when
     * its hash did not match), {@link #authorize}.
     */
    public static PduVerdict check(
            ObjectNode json,
            RoomVersion version,
            KeyLookup keys,
            Collection<Pdu> authEvents,
            Predicate<EventId> rejected,
            Map<StateTuple, Pdu> stateBefore,
            Map<StateTuple, Pdu> currentState) {
        PduVerdict verified = verify(json, version, keys);
        if (!(verified instanceof PduVerdict.Accepted accepted)) {
            return verified;
        }
        PduVerdict authorized = authorize(accepted.event(), authEvents, rejected, stateBefore, currentState);
        return authorized instanceof PduVerdict.Accepted ? accepted : authorized;
    }

    /**
     * Steps 4 to 6 on an event that passed steps 1 to 3, with the authorization rules of
     * {@link EventAuthorizer}.
     *
     * <ol start="4">
     *   <li>Against the event's own auth events: the cited list must be the one the auth events
     *       selection allows, with no cited event rejected, and the rules must pass with those events
     *       as the state. Else {@link PduVerdict.Rejected} at {@link PduCheckStep#AUTH_EVENTS}.
     *   <li>Against the state before the event (the resolved state of its prev events). Else
     *       {@link PduVerdict.Rejected} at {@link PduCheckStep#STATE_BEFORE}.
     *   <li>Against the room's current state. Else {@link PduVerdict.SoftFailed}.
     * </ol>
     *
     * @param authEvents the events {@code event} cites, as fetched by id (a collection, not a map by
     *     state key, so that two cited events for one key can be seen and rejected); in room version
     *     12 also the room's create event, which is never cited
     * @param rejected tells which of those events were themselves rejected
     * @param stateBefore the state before the event, by type and state key
     * @param currentState the room's current state, by type and state key
     * @return {@link PduVerdict.Accepted} with {@code event} as given and {@code redacted} false
     *     (whether it was redacted at step 3 is {@link #verify}'s to say), or the failure
     * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu">Checks performed on receipt of a PDU</a>, steps 4 to 6
     * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#rejection">Rejection</a>
     * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#soft-failure">Soft failure</a>
     */
    public static PduVerdict authorize(
            Pdu event,
            Collection<Pdu> authEvents,
            Predicate<EventId> rejected,
            Map<StateTuple, Pdu> stateBefore,
            Map<StateTuple, Pdu> currentState) {
        if (EventAuthorizer.checkAgainstAuthEvents(event, authEvents, rejected)
                instanceof AuthResult.Rejected(String reason)) {
            return new PduVerdict.Rejected(event, PduCheckStep.AUTH_EVENTS, reason);
        }
        if (EventAuthorizer.check(event, state(stateBefore)) instanceof AuthResult.Rejected(String reason)) {
            return new PduVerdict.Rejected(event, PduCheckStep.STATE_BEFORE, reason);
        }
        if (EventAuthorizer.check(event, state(currentState)) instanceof AuthResult.Rejected(String reason)) {
            return new PduVerdict.SoftFailed(event, reason);
        }
        return new PduVerdict.Accepted(event, false);
    }

    private static String reason(RuntimeException e) {
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }

    private static AuthState state(Map<StateTuple, Pdu> events) {
        Map<StateTuple, Pdu> copy = Map.copyOf(events);
        return (type, stateKey) -> Optional.ofNullable(copy.get(new StateTuple(type, stateKey)));
    }

    /**
     * Step 1: the event in the room version's format, with its id derived as the format says,
     * within the size limits (65,536 bytes of canonical JSON, 255 bytes for each id and key).
     *
     * @throws IllegalArgumentException naming what is invalid or too large
     * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu">Checks performed on receipt of a PDU</a>, step 1
     * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#size-limits">Size limits</a>
     */
    static Pdu checkFormat(ObjectNode json, RoomVersion version) {
        Pdu pdu = Pdus.fromJson(json, version);
        PduLimits.check(pdu);
        // PduLimits measures the JSON as given; the limit is on the form that travels.
        int size = CanonicalJson.encode(Pdus.federationJson(pdu)).length;
        if (size > PduLimits.MAX_PDU_BYTES) {
            throw new EventTooLargeException("event is " + size + " bytes; the limit is " + PduLimits.MAX_PDU_BYTES);
        }
        return pdu;
    }

    /**
     * Step 2: every server that must sign the event has signed its redacted form with a known,
     * unexpired key, and every such signature verifies. The servers are the sender's (except for an
     * invite made from a third-party invite, which another server may send) and, in room versions 1
     * and 2, the event id's: {@link EventSignatures#requiredSigners}.
     *
     * @throws SignatureVerificationException naming the server and what failed
     * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#validating-hashes-and-signatures-on-received-events">Validating hashes and signatures on received events</a>
     */
    static void checkSignatures(Pdu pdu, KeyLookup keys) {
        for (ServerName server : EventSignatures.requiredSigners(pdu)) {
            checkSignature(pdu, server, keys);
        }
    }

    /**
     * {@code server}'s signature on the redacted event, checked with its known, unexpired keys.
     * Besides step 2, this checks the authorization rule of room versions with restricted joins
     * that a member event with {@code join_authorised_via_users_server} is signed by that user's
     * server; the rules make a failure a rejection, not a drop.
     *
     * @see <a href="https://spec.matrix.org/v1.19/rooms/v8/#authorization-rules">Authorization rules (v8)</a>
     */
    static void checkSignature(Pdu pdu, ServerName server, KeyLookup keys) {
        ObjectNode redacted = Redaction.redact(Pdus.federationJson(pdu), pdu.version());
        JsonSigning.verifyWithKnownKeys(redacted, server.value(), knownKeys(pdu, redacted, server, keys));
    }

    /**
     * Step 3: the event itself when its content hash matches, otherwise its redacted form, which
     * is what the receiver must keep and check further.
     *
     * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#validating-hashes-and-signatures-on-received-events">Validating hashes and signatures on received events</a>
     */
    static PduVerdict.Accepted checkContentHash(Pdu pdu) {
        return EventHashes.hasValidContentHash(pdu)
                ? new PduVerdict.Accepted(pdu, false)
                : new PduVerdict.Accepted(Redaction.redact(pdu), true);
    }

    private static Map<SigningKeyId, VerifyKey> knownKeys(
            Pdu pdu, ObjectNode redacted, ServerName server, KeyLookup lookup) {
        Map<SigningKeyId, VerifyKey> known = new LinkedHashMap<>();
        JsonNode signatures = redacted.path("signatures").path(server.value());
        for (Map.Entry<String, JsonNode> entry : signatures.properties()) {
            SigningKeyId keyId;
            try {
                keyId = SigningKeyId.parse(entry.getKey());
            } catch (InvalidIdentifierException e) {
                continue;
            }
            Optional<ServerKey> key = lookup.find(server, keyId);
            if (key.isEmpty()) {
                continue;
            }
            if (pdu.version().enforceKeyValidity() && key.get().validUntilTs() < pdu.originServerTs()) {
                continue;
            }
            known.put(keyId, key.get().key());
        }
        return known;
    }
}
