package dev.myelin.server.handler.threepid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.account.ProfileStore;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Inviting by email ({@code POST /rooms/{roomId}/invite} and {@code createRoom}'s {@code
 * invite_3pid}): the identity server is asked whom the address is bound to; a bound user is
 * invited as any user is, otherwise the identity server stores the invite (and mails it) and the
 * room gets an {@code m.room.third_party_invite} event whose public keys will check the identity
 * server's signature once the address is bound.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#third-party-invites">Third-party invites</a>
 */
public final class ThirdPartyInvites {
    private final IdentityServerClient identityServers;
    private final EventCreator events;
    private final RoomStateReader state;
    private final ProfileStore profiles;

    public ThirdPartyInvites(
            IdentityServerClient identityServers, EventCreator events, RoomStateReader state, ProfileStore profiles) {
        this.identityServers = identityServers;
        this.events = events;
        this.state = state;
        this.profiles = profiles;
    }

    /** One invitation by address, as clients send it. */
    public record Invitation(String idServer, String idAccessToken, String medium, String address) {
        /** Checks each field, with the spec's 400 errors. */
        public static Invitation of(
                @Nullable String idServer,
                @Nullable String idAccessToken,
                @Nullable String medium,
                @Nullable String address) {
            String server = ThreePidInput.idServer(idServer);
            if (idAccessToken == null) {
                throw MatrixException.missingParam("id_access_token");
            }
            String theMedium = ThreePidInput.medium(medium);
            return new Invitation(server, idAccessToken, theMedium, ThreePidInput.address(theMedium, address));
        }
    }

    /**
     * Invites by address: the user the address is bound to, for the caller to invite; empty when
     * no one is, in which case the invite is stored on the identity server and the {@code
     * m.room.third_party_invite} event is sent.
     */
    public Optional<UserId> invite(UserId sender, RoomId room, Invitation invitation) {
        state.requireRoom(room);
        if (!state.isJoined(room, sender)) {
            // refused before the identity server stores an invite the room would not take
            throw MatrixException.forbidden(sender + " is not in the room");
        }
        Optional<String> bound = identityServers.lookup(
                invitation.idServer(), invitation.idAccessToken(), invitation.medium(), invitation.address());
        if (bound.isPresent()) {
            try {
                return Optional.of(UserId.parse(bound.get()));
            } catch (InvalidIdentifierException e) {
                throw new MatrixException(400, ErrorCode.UNKNOWN, "The identity server answered an invalid user id");
            }
        }
        JsonNode stored = identityServers.storeInvite(
                invitation.idServer(), invitation.idAccessToken(), storeInviteBody(sender, room, invitation));
        String token = stored.path("token").asText("");
        if (token.isEmpty()) {
            throw new MatrixException(400, ErrorCode.UNKNOWN, "The identity server's store-invite answer has no token");
        }
        events.create(EventRequest.state(
                room, sender, "m.room.third_party_invite", token, inviteContent(stored, invitation)));
        return Optional.empty();
    }

    /** What the identity server may show in the invitation mail: the room's and the inviter's names. */
    private ObjectNode storeInviteBody(UserId sender, RoomId room, Invitation invitation) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("medium", invitation.medium())
                .put("address", invitation.address())
                .put("room_id", room.value())
                .put("sender", sender.toString());
        stateText(room, "m.room.name", "name").ifPresent(v -> body.put("room_name", v));
        stateText(room, "m.room.canonical_alias", "alias").ifPresent(v -> body.put("room_alias", v));
        stateText(room, "m.room.avatar", "url").ifPresent(v -> body.put("room_avatar_url", v));
        stateText(room, "m.room.join_rules", "join_rule").ifPresent(v -> body.put("room_join_rules", v));
        var profile = profiles.get(sender);
        profile.displayName().ifPresent(v -> body.put("sender_display_name", v));
        profile.avatarUrl().ifPresent(v -> body.put("sender_avatar_url", v));
        return body;
    }

    private Optional<String> stateText(RoomId room, String type, String key) {
        return state.currentEvent(room, type, "")
                .map(e -> e.pdu().content().path(key))
                .filter(JsonNode::isTextual)
                .map(JsonNode::textValue);
    }

    /**
     * The {@code m.room.third_party_invite} content: the display name the identity server gave, and
     * its public keys with the URLs that say whether each is still valid.
     */
    private static ObjectNode inviteContent(JsonNode stored, Invitation invitation) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        String displayName = stored.path("display_name").asText("");
        content.put("display_name", displayName.isEmpty() ? redacted(invitation.address()) : displayName);
        ArrayNode keys = content.putArray("public_keys");
        String fallbackUrl = "https://" + invitation.idServer() + "/_matrix/identity/v2/pubkey/isvalid";
        for (JsonNode key : stored.path("public_keys")) {
            String publicKey = key.path("public_key").asText("");
            if (!publicKey.isEmpty()) {
                keys.addObject()
                        .put("public_key", publicKey)
                        .put("key_validity_url", key.path("key_validity_url").asText(fallbackUrl));
            }
        }
        String single = stored.path("public_key").asText("");
        if (single.isEmpty() && !keys.isEmpty()) {
            single = keys.get(0).path("public_key").asText();
        }
        if (single.isEmpty()) {
            throw new MatrixException(
                    400, ErrorCode.UNKNOWN, "The identity server's store-invite answer has no public key");
        }
        content.put("public_key", single);
        content.put(
                "key_validity_url",
                keys.isEmpty()
                        ? fallbackUrl
                        : keys.get(0).path("key_validity_url").asText());
        if (keys.isEmpty()) {
            keys.addObject().put("public_key", single).put("key_validity_url", fallbackUrl);
        }
        return content;
    }

    /** An address shown to the room when the identity server gave no display name: its start only. */
    private static String redacted(String address) {
        int at = address.indexOf('@');
        String name = at > 0 ? address.substring(0, at) : address;
        return (name.length() > 3 ? name.substring(0, 3) : name) + "...";
    }
}
