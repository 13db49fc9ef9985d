package dev.myelin.server.handler.room;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimiter;

/**
 * The invite limits that are not about who sends the invite (that one, {@code
 * rc_invites.per_issuer}, is the endpoint's own rate-limit action): {@code rc_invites.per_room},
 * invites into one room from anyone, and {@code rc_invites.per_user}, invites that one user
 * receives from anyone, so that many accounts together cannot flood a room or a user with
 * invites.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#rate-limiting">Rate limiting</a>
 */
public final class InviteRateLimits {
    private final RateLimiter limiter;
    private final RateLimit perRoom;
    private final RateLimit perInvitee;

    /**
     * @param limiter the buckets, on the server's clock
     * @param perRoom {@code rc_invites.per_room}
     * @param perInvitee {@code rc_invites.per_user}
     */
    public InviteRateLimits(RateLimiter limiter, RateLimit perRoom, RateLimit perInvitee) {
        this.limiter = limiter;
        this.perRoom = perRoom;
        this.perInvitee = perInvitee;
    }

    /** Counts one invite of {@code invitee} into {@code room}; 429 {@code M_LIMIT_EXCEEDED} when over either limit. */
    public void check(RoomId room, UserId invitee) {
        limiter.check("invite_per_room", room.toString(), perRoom);
        limiter.check("invite_per_invitee", invitee.toString(), perInvitee);
    }
}
