package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import java.util.Optional;

/**
 * The content of {@code m.room.member}, read leniently.
 *
 * @param membership the membership; empty when absent or not a known value (the auth rules
 *     reject both)
 * @param displayname the display name, if any
 * @param avatarUrl the avatar URL ({@code mxc://…}), if any
 * @param isDirect {@code is_direct}, false when absent
 * @param reason the user-supplied reason, if any
 * @param thirdPartyInvite the third-party invite this invite fulfils, if any
 * @param joinAuthorisedViaUsersServer {@code join_authorised_via_users_server} (room version 8
 *     and later): the user whose server authorised a restricted join
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroommember">m.room.member</a>
 */
public record MemberContent(
        Optional<Membership> membership,
        Optional<String> displayname,
        Optional<String> avatarUrl,
        boolean isDirect,
        Optional<String> reason,
        Optional<ThirdPartyInvite> thirdPartyInvite,
        Optional<UserId> joinAuthorisedViaUsersServer) {

    /**
     * The {@code third_party_invite} key of an invite.
     *
     * @param displayName the name shown for the invited third party identifier
     * @param signed the {@code signed} block, when it has {@code mxid} and {@code token}
     */
    public record ThirdPartyInvite(Optional<String> displayName, Optional<Signed> signed) {}

    /**
     * The {@code signed} block of a third-party invite, signed by the identity server.
     *
     * @param mxid the invited user
     * @param token the token, equal to the state key of the {@code m.room.third_party_invite}
     *     event
     * @param json the whole block including {@code signatures}, for signature checks
     */
    public record Signed(String mxid, String token, ObjectNode json) {
        /** Keeps a copy of the block. */
        public Signed {
            json = json.deepCopy();
        }

        /**
         * The whole signed block.
         *
         * @return a copy
         */
        @Override
        public ObjectNode json() {
            return json.deepCopy();
        }
    }

    /** Reads member content. */
    public static MemberContent from(ObjectNode content) {
        Optional<ThirdPartyInvite> invite = Json.object(content, "third_party_invite")
                .map(node -> {
                    Optional<Signed> signed = Json.object(node, "signed").flatMap(s -> {
                        Optional<String> mxid = Json.text(s, "mxid");
                        Optional<String> token = Json.text(s, "token");
                        return mxid.isPresent() && token.isPresent()
                                ? Optional.of(new Signed(mxid.get(), token.get(), s))
                                : Optional.empty();
                    });
                    return new ThirdPartyInvite(Json.text(node, "display_name"), signed);
                });
        return new MemberContent(
                Json.text(content, "membership").flatMap(Membership::parse),
                Json.text(content, "displayname"),
                Json.text(content, "avatar_url"),
                Json.bool(content, "is_direct").orElse(false),
                Json.text(content, "reason"),
                invite,
                Json.userId(content, "join_authorised_via_users_server"));
    }
}
