package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The content of {@code m.room.third_party_invite}: the identity server keys that may sign the
 * {@code signed} block of the invite that fulfils it. The state key is the invite token.
 *
 * @param displayName a user-readable name for the invited identifier
 * @param keyValidityUrl where to check that {@code public_key} is still valid
 * @param publicKey the main public key (unpadded base64), if present
 * @param publicKeys further keys, in order; entries without a string {@code public_key} are
 *     skipped
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomthird_party_invite">m.room.third_party_invite</a>
 */
public record ThirdPartyInviteContent(
        Optional<String> displayName,
        Optional<String> keyValidityUrl,
        Optional<String> publicKey,
        List<PublicKey> publicKeys) {

    /** Copies the lists, so the value cannot change. */
    public ThirdPartyInviteContent {
        publicKeys = List.copyOf(publicKeys);
    }

    /** An entry of {@code public_keys}. */
    public record PublicKey(String publicKey, Optional<String> keyValidityUrl) {}

    /**
     * Reads {@code m.room.third_party_invite} content leniently.
     *
     * @param content the event content
     * @return the keys and display name
     */
    public static ThirdPartyInviteContent from(ObjectNode content) {
        List<PublicKey> keys = new ArrayList<>();
        JsonNode array = content.get("public_keys");
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                Json.text(item, "public_key")
                        .ifPresent(k -> keys.add(new PublicKey(k, Json.text(item, "key_validity_url"))));
            }
        }
        return new ThirdPartyInviteContent(
                Json.text(content, "display_name"),
                Json.text(content, "key_validity_url"),
                Json.text(content, "public_key"),
                keys);
    }

    /** Every key that may have signed the invite: {@code public_key} first, then {@code public_keys}. */
    public List<String> allPublicKeys() {
        List<String> all = new ArrayList<>();
        publicKey.ifPresent(all::add);
        publicKeys.forEach(k -> all.add(k.publicKey()));
        return List.copyOf(all);
    }
}
