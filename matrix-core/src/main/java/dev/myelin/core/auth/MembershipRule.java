package dev.myelin.core.auth;

import static dev.myelin.core.auth.EventAuthorizer.reject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.content.JoinRule;
import dev.myelin.core.event.content.JoinRulesContent;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.event.content.ThirdPartyInviteContent;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.AuthRules;
import java.util.Optional;

/** The {@code m.room.member} rule: one method per membership, in the spec's order. */
final class MembershipRule {
    private final Pdu event;
    private final AuthState state;
    private final Pdu create;
    private final PowerLevels levels;
    private final ThirdPartyInviteVerifier inviteVerifier;
    private final AuthRules rules;

    MembershipRule(Pdu event, AuthState state, Pdu create, PowerLevels levels, ThirdPartyInviteVerifier verifier) {
        this.event = event;
        this.state = state;
        this.create = create;
        this.levels = levels;
        this.inviteVerifier = verifier;
        this.rules = event.version().auth();
    }

    AuthResult check() {
        JsonNode membership = event.content().get("membership");
        if (event.stateKey().isEmpty() || membership == null || !membership.isTextual()) {
            return reject("m.room.member", "the event has no state key or no membership");
        }
        Optional<Membership> parsed = Membership.parse(membership.textValue());
        if (parsed.isEmpty() || (parsed.get() == Membership.KNOCK && !rules.knocking())) {
            return reject("m.room.member", "unknown membership '" + membership.textValue() + "'");
        }
        return switch (parsed.get()) {
            case JOIN -> join();
            case INVITE -> invite();
            case LEAVE -> leave();
            case BAN -> ban();
            case KNOCK -> knock();
        };
    }

    private AuthResult join() {
        String target = event.stateKey().orElseThrow();
        if (event.prevEventIds().size() == 1
                && event.prevEventIds().get(0).equals(create.eventId())
                && target.equals(creatorForFirstJoin())) {
            return AuthResult.allowed();
        }
        if (!event.sender().toString().equals(target)) {
            return reject("m.room.member join", "the sender is not the state key");
        }
        Optional<Membership> current = membership(target);
        if (current.equals(Optional.of(Membership.BAN))) {
            return reject("m.room.member join", "the sender is banned");
        }
        boolean invitedOrJoined =
                current.equals(Optional.of(Membership.INVITE)) || current.equals(Optional.of(Membership.JOIN));
        Optional<JoinRule> rule = joinRule();
        if (rule.equals(Optional.of(JoinRule.INVITE))
                || (rules.knocking() && rule.equals(Optional.of(JoinRule.KNOCK)))) {
            return invitedOrJoined
                    ? AuthResult.allowed()
                    : reject("m.room.member join", "the join rule is " + rule.get() + " and the sender is not invited");
        }
        if ((rules.restrictedJoins() && rule.equals(Optional.of(JoinRule.RESTRICTED)))
                || (rules.knockRestrictedJoins() && rule.equals(Optional.of(JoinRule.KNOCK_RESTRICTED)))) {
            if (invitedOrJoined) {
                return AuthResult.allowed();
            }
            return restrictedJoin(rule.get());
        }
        if (rule.equals(Optional.of(JoinRule.PUBLIC))) {
            return AuthResult.allowed();
        }
        return reject(
                "m.room.member join",
                "the join rule " + rule.map(JoinRule::value).orElse("(none)") + " does not let the sender join");
    }

    private AuthResult restrictedJoin(JoinRule rule) {
        JsonNode authoriser = event.content().get("join_authorised_via_users_server");
        if (authoriser == null || !authoriser.isTextual() || !UserId.isValid(authoriser.textValue())) {
            return reject(
                    "m.room.member join",
                    "the join rule is " + rule + " and join_authorised_via_users_server is not a user id");
        }
        UserId user = UserId.parse(authoriser.textValue());
        if (!membership(user.toString()).equals(Optional.of(Membership.JOIN))) {
            return reject("m.room.member join", "the authorising user " + user + " is not joined");
        }
        if (levels.userLevel(user) < levels.invite()) {
            return reject("m.room.member join", "the authorising user " + user + " cannot invite");
        }
        return AuthResult.allowed();
    }

    private AuthResult invite() {
        String target = event.stateKey().orElseThrow();
        JsonNode thirdParty = event.content().get("third_party_invite");
        if (thirdParty != null) {
            return thirdPartyInvite(target, thirdParty);
        }
        if (!senderJoined()) {
            return reject("m.room.member invite", "the sender is not joined");
        }
        Optional<Membership> current = membership(target);
        if (current.equals(Optional.of(Membership.JOIN)) || current.equals(Optional.of(Membership.BAN))) {
            return reject("m.room.member invite", "the target is already " + current.get());
        }
        long senderLevel = levels.userLevel(event.sender());
        if (senderLevel >= levels.invite()) {
            return AuthResult.allowed();
        }
        return reject(
                "m.room.member invite",
                "the sender's level " + senderLevel + " is below the invite level " + levels.invite());
    }

    private AuthResult thirdPartyInvite(String target, JsonNode thirdParty) {
        String rule = "m.room.member third-party invite";
        if (membership(target).equals(Optional.of(Membership.BAN))) {
            return reject(rule, "the target is banned");
        }
        JsonNode signed = thirdParty.get("signed");
        if (signed == null || !signed.isObject()) {
            return reject(rule, "third_party_invite has no signed block");
        }
        JsonNode mxid = signed.get("mxid");
        JsonNode token = signed.get("token");
        if (mxid == null || !mxid.isTextual() || token == null || !token.isTextual()) {
            return reject(rule, "the signed block lacks mxid or token");
        }
        if (!mxid.textValue().equals(target)) {
            return reject(rule, "signed.mxid is not the state key");
        }
        Optional<Pdu> invite = state.get(EventAuthorizer.THIRD_PARTY_INVITE, token.textValue());
        if (invite.isEmpty()) {
            return reject(rule, "there is no m.room.third_party_invite for the token");
        }
        if (!invite.get().sender().equals(event.sender())) {
            return reject(rule, "the sender did not send the m.room.third_party_invite");
        }
        ThirdPartyInviteContent keys = ThirdPartyInviteContent.from(invite.get().content());
        if (inviteVerifier.anySignatureValid((ObjectNode) signed, keys.allPublicKeys())) {
            return AuthResult.allowed();
        }
        return reject(rule, "no signature in the signed block matches a key of the m.room.third_party_invite");
    }

    private AuthResult leave() {
        String target = event.stateKey().orElseThrow();
        if (event.sender().toString().equals(target)) {
            Optional<Membership> current = membership(target);
            boolean may = current.equals(Optional.of(Membership.INVITE))
                    || current.equals(Optional.of(Membership.JOIN))
                    || (rules.knocking() && current.equals(Optional.of(Membership.KNOCK)));
            return may
                    ? AuthResult.allowed()
                    : reject(
                            "m.room.member leave",
                            "the sender's membership is "
                                    + current.map(Membership::value).orElse("(none)")
                                    + ", so there is nothing to leave");
        }
        if (!senderJoined()) {
            return reject("m.room.member leave", "the sender is not joined");
        }
        long senderLevel = levels.userLevel(event.sender());
        if (membership(target).equals(Optional.of(Membership.BAN)) && senderLevel < levels.ban()) {
            return reject(
                    "m.room.member leave",
                    "unbanning needs the ban level " + levels.ban() + ", the sender has " + senderLevel);
        }
        long targetLevel = levels.userLevel(target);
        if (senderLevel >= levels.kick() && targetLevel < senderLevel) {
            return AuthResult.allowed();
        }
        return reject(
                "m.room.member leave",
                "kicking needs the kick level " + levels.kick() + " and a level above the target's " + targetLevel
                        + ", the sender has " + senderLevel);
    }

    private AuthResult ban() {
        if (!senderJoined()) {
            return reject("m.room.member ban", "the sender is not joined");
        }
        long senderLevel = levels.userLevel(event.sender());
        long targetLevel = levels.userLevel(event.stateKey().orElseThrow());
        if (senderLevel >= levels.ban() && targetLevel < senderLevel) {
            return AuthResult.allowed();
        }
        return reject(
                "m.room.member ban",
                "banning needs the ban level " + levels.ban() + " and a level above the target's " + targetLevel
                        + ", the sender has " + senderLevel);
    }

    private AuthResult knock() {
        Optional<JoinRule> rule = joinRule();
        boolean knockable = rule.equals(Optional.of(JoinRule.KNOCK))
                || (rules.knockRestrictedJoins() && rule.equals(Optional.of(JoinRule.KNOCK_RESTRICTED)));
        if (!knockable) {
            return reject(
                    "m.room.member knock",
                    "the join rule " + rule.map(JoinRule::value).orElse("(none)") + " does not allow knocking");
        }
        if (!event.sender().toString().equals(event.stateKey().orElseThrow())) {
            return reject("m.room.member knock", "the sender is not the state key");
        }
        Optional<Membership> current = membership(event.sender().toString());
        if (current.isEmpty() || current.get() == Membership.LEAVE || current.get() == Membership.KNOCK) {
            return AuthResult.allowed();
        }
        return reject("m.room.member knock", "the sender is already " + current.get());
    }

    /** The user whose join may follow the create event directly. */
    private String creatorForFirstJoin() {
        if (rules.implicitRoomCreator()) {
            return create.sender().toString();
        }
        JsonNode creator = create.content().get("creator");
        return creator != null && creator.isTextual() ? creator.textValue() : "";
    }

    private Optional<JoinRule> joinRule() {
        return state.get(StateTuple.JOIN_RULES)
                .flatMap(e -> JoinRulesContent.from(e.content()).joinRule());
    }

    private Optional<Membership> membership(String user) {
        return EventAuthorizer.membership(state, user);
    }

    private boolean senderJoined() {
        return membership(event.sender().toString()).equals(Optional.of(Membership.JOIN));
    }
}
