package dev.myelin.server.handler.room;

import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.event.content.JoinRule;
import dev.myelin.core.event.content.JoinRulesContent;
import dev.myelin.core.event.content.JoinRulesContent.AllowCondition;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.AuthRules;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.state.StateStore;
import java.util.Comparator;
import java.util.Optional;

/**
 * Joins to rooms whose join rule is {@code restricted} (room version 8 and later) or {@code
 * knock_restricted} (10 and later): a user who is neither invited nor joined may join when they are
 * joined to one of the rooms the rule's {@code allow} conditions name, and the join then carries
 * {@code join_authorised_via_users_server}, a user of this server in the room with the power to
 * invite, whose server (this one) signs the join. Only rooms this server takes part in can be
 * checked, so a condition naming another room is not met here.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#restricted-rooms">Restricted rooms</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#restricted-rooms">Restricted rooms (federation)</a>
 */
public final class RestrictedJoinAuthoriser {
    private static final String JOIN_RULES = "m.room.join_rules";

    private final RoomStateReader state;
    private final StateStore stateStore;
    private final ServerName self;

    public RestrictedJoinAuthoriser(RoomStateReader state, StateStore stateStore, ServerName self) {
        this.state = state;
        this.stateStore = stateStore;
        this.self = self;
    }

    /**
     * The user of this server who authorises {@code joiner}'s join of {@code room}; empty when the
     * join needs none (the rule is not restricted, or the joiner is already invited or joined, or
     * banned, which the auth rules refuse with their own reason).
     *
     * @param overFederation whether another server asks ({@code make_join}, {@code send_join}):
     *     then conditions that cannot be checked here are 400 {@code M_UNABLE_TO_AUTHORISE_JOIN}
     *     and a missing authoriser 400 {@code M_UNABLE_TO_GRANT_JOIN}, as the spec says, so that the
     *     joining server tries another server
     * @throws MatrixException 403 {@code M_FORBIDDEN} when the joiner meets no condition
     */
    public Optional<UserId> authoriserFor(RoomId room, UserId joiner, boolean overFederation) {
        if (!restricted(room)) {
            return Optional.empty();
        }
        Optional<String> current = state.membership(room, joiner);
        if (current.isPresent()
                && (current.get().equals("join")
                        || current.get().equals("invite")
                        || current.get().equals("ban"))) {
            return Optional.empty();
        }
        requireConditionMet(room, joiner, overFederation);
        PowerLevels levels = state.powerLevels(room);
        Optional<UserId> authoriser = stateStore.joinedMembers(room).stream()
                .filter(u -> u.server().equals(self))
                .filter(u -> levels.userLevel(u) >= levels.invite())
                // the most powerful first, as a stable choice that is least likely to lose the power soon
                .min(Comparator.comparingLong((UserId u) -> -levels.userLevel(u))
                        .thenComparing(UserId::toString));
        if (authoriser.isEmpty()) {
            if (overFederation) {
                throw new MatrixException(
                        400, ErrorCode.UNABLE_TO_GRANT_JOIN, "No user of this server in the room can invite");
            }
            throw MatrixException.forbidden("No user of this server in the room can authorise the join");
        }
        return authoriser;
    }

    /**
     * Checks that {@code joiner} meets one of the room's {@code allow} conditions.
     */
    private void requireConditionMet(RoomId room, UserId joiner, boolean overFederation) {
        JoinRulesContent rules = joinRules(room).orElseThrow();
        boolean checkable = false;
        for (AllowCondition condition : rules.allow()) {
            if (!condition.type().equals(AllowCondition.ROOM_MEMBERSHIP)
                    || condition.roomId().isEmpty()) {
                continue;
            }
            RoomId allowed = condition.roomId().get();
            if (!takesPartIn(allowed)) {
                continue;
            }
            checkable = true;
            if (state.isJoined(allowed, joiner)) {
                return;
            }
        }
        if (!checkable && overFederation) {
            throw new MatrixException(
                    400,
                    ErrorCode.UNABLE_TO_AUTHORISE_JOIN,
                    "This server cannot check membership of any room the join rules allow");
        }
        throw MatrixException.forbidden("You do not belong to any of the rooms required to join this room");
    }

    /** Whether the room's current join rule is one of the restricted ones its version supports. */
    public boolean restricted(RoomId room) {
        AuthRules rules = state.requireVersion(room).auth();
        Optional<JoinRule> rule = joinRules(room).flatMap(JoinRulesContent::joinRule);
        return (rules.restrictedJoins() && rule.equals(Optional.of(JoinRule.RESTRICTED)))
                || (rules.knockRestrictedJoins() && rule.equals(Optional.of(JoinRule.KNOCK_RESTRICTED)));
    }

    private Optional<JoinRulesContent> joinRules(RoomId room) {
        return state.currentEvent(room, JOIN_RULES, "")
                .map(e -> JoinRulesContent.from(e.pdu().content()));
    }

    private boolean takesPartIn(RoomId room) {
        return stateStore.joinedMembers(room).stream().anyMatch(u -> u.server().equals(self));
    }
}
