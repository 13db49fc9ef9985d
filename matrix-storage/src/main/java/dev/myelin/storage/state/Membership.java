package dev.myelin.storage.state;

import java.util.Optional;

/** The {@code membership} values of {@code m.room.member} events. */
public enum Membership {
    JOIN("join"), INVITE("invite"), LEAVE("leave"), BAN("ban"), KNOCK("knock");

    private final String value;

    Membership(String value) {
        this.value = value;
    }

    /** The wire value, e.g. {@code "join"}. */
    public String value() {
        return value;
    }

    /** The membership for a wire value; empty for values the spec does not define. */
    public static Optional<Membership> parse(String value) {
        for (Membership m : values()) {
            if (m.value.equals(value)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
