package dev.myelin.core.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Checks the identity server's signature on the {@code signed} block of a third-party invite,
 * the one auth rule that needs cryptography. {@link #ED25519} is the implementation the spec
 * calls for; tests and callers with a key cache may pass their own.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#third-party-invites">Third-party invites</a>
 */
@FunctionalInterface
public interface ThirdPartyInviteVerifier {

    /**
     * True when any signature in {@code signed.signatures} verifies, over the canonical JSON of
     * {@code signed} without {@code signatures}, with any of {@code publicKeys} (unpadded base64,
     * standard or url-safe alphabet).
     */
    boolean anySignatureValid(ObjectNode signed, List<String> publicKeys);

    /** Ed25519 verification with the JDK's provider. */
    ThirdPartyInviteVerifier ED25519 = new Ed25519InviteVerifier();
}
