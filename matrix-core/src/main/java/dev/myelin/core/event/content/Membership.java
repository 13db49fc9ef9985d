package dev.myelin.core.event.content;

import java.util.Optional;

/**
 * A user's membership of a room, the {@code membership} key of {@code m.room.member}. The auth
 * rules reject any other value, so unknown values have no representation: {@link #parse} returns
 * empty for them.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroommember">m.room.member</a>
 */
public enum Membership {
    /** Invited by a member. */
    INVITE("invite"),
    /** Joined. */
    JOIN("join"),
    /** Room version 7 and later. */
    KNOCK("knock"),
    /** Left, was kicked, or had an invite or knock withdrawn. */
    LEAVE("leave"),
    /** Banned. */
    BAN("ban");

    private final String value;

    Membership(String value) {
        this.value = value;
    }

    /** The value as written in events. */
    public String value() {
        return value;
    }

    /** The membership written {@code value}, or empty for an unknown value. */
    public static Optional<Membership> parse(String value) {
        for (Membership m : values()) {
            if (m.value.equals(value)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
