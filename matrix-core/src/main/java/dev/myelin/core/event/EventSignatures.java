package dev.myelin.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SignatureVerificationException;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Checking the signatures and content hash of a received event.
 *
 * <p>The signatures are checked on the redacted event, so a redacted copy verifies as well as the
 * full one. The server of the {@code sender} must have signed; in room versions 1 and 2 so must
 * the server in the event id, when it differs. Signatures with keys the lookup does not return
 * are ignored; at least one known key of each required server must have signed, and every known
 * key's signature must verify. The lookup decides which keys are known: for room versions that
 * {@linkplain dev.myelin.core.room.RoomVersion#enforceKeyValidity() enforce key validity} it
 * should return only keys valid at the event's {@code origin_server_ts}.
 *
 * <p>The third-party-invite exception (a member event sent by a server other than the
 * sender's) is left to the caller.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#validating-hashes-and-signatures-on-received-events">Validating hashes and signatures</a>
 */
public final class EventSignatures {
    private EventSignatures() {}

    /**
     * Checks the signatures {@code pdu} needs.
     *
     * @param keys the verify keys known for a server, by key id; empty when none are known
     * @throws SignatureVerificationException naming the server and the failure
     */
    public static void verify(Pdu pdu, Function<ServerName, Map<SigningKeyId, VerifyKey>> keys) {
        Objects.requireNonNull(keys, "keys");
        ObjectNode redacted = Redaction.redact(Pdus.federationJson(pdu), pdu.version());
        for (ServerName server : requiredSigners(pdu)) {
            Map<SigningKeyId, VerifyKey> known = keys.apply(server);
            JsonSigning.verifyWithKnownKeys(redacted, server.value(), known == null ? Map.of() : known);
        }
    }

    /**
     * Verifies {@code pdu}'s signatures, then its content hash: the event itself when the hash
     * matches, otherwise its redacted form, which is what the receiver must keep.
     *
     * @throws SignatureVerificationException when the signatures do not check
     */
    public static Pdu verifyAndCheckHash(Pdu pdu, Function<ServerName, Map<SigningKeyId, VerifyKey>> keys) {
        verify(pdu, keys);
        return EventHashes.hasValidContentHash(pdu) ? pdu : Redaction.redact(pdu);
    }

    /**
     * The servers whose signatures {@code pdu} must carry: the sender's, and in room versions 1
     * and 2 the event id's. An invite made from a third-party invite needs no signature of the
     * sender's server: its sender must be the one who made the third-party invite, but the server
     * that sends it (the invitee's, after {@code exchange_third_party_invite}) may be another; the
     * authorization rules check its {@code signed} block instead.
     *
     * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#validating-hashes-and-signatures-on-received-events">Validating hashes and signatures on received events</a>
     */
    public static Set<ServerName> requiredSigners(Pdu pdu) {
        Set<ServerName> servers = new LinkedHashSet<>();
        if (!isThirdPartyInvite(pdu)) {
            servers.add(pdu.sender().server());
        }
        if (pdu.version().eventFormat().eventIdInEvent()) {
            pdu.eventId().server().ifPresent(servers::add);
        }
        return Collections.unmodifiableSet(servers);
    }

    private static boolean isThirdPartyInvite(Pdu pdu) {
        return pdu.isState()
                && pdu.type().equals("m.room.member")
                && pdu.content().path("membership").asText("").equals("invite")
                && pdu.content().has("third_party_invite");
    }
}
