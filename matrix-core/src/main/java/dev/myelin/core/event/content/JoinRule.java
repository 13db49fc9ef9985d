package dev.myelin.core.event.content;

import java.util.List;
import java.util.Objects;

/**
 * A join rule, the {@code join_rule} key of {@code m.room.join_rules}. The spec's values are
 * constants; any other value is kept as an unknown rule, under which the auth rules let nobody
 * join.
 *
 * @param value the value as written in events
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomjoin_rules">m.room.join_rules</a>
 */
public record JoinRule(String value) {
    public static final JoinRule PUBLIC = new JoinRule("public");
    public static final JoinRule INVITE = new JoinRule("invite");
    /** Room version 7 and later. */
    public static final JoinRule KNOCK = new JoinRule("knock");
    /** Room version 8 and later. */
    public static final JoinRule RESTRICTED = new JoinRule("restricted");
    /** Room version 10 and later. */
    public static final JoinRule KNOCK_RESTRICTED = new JoinRule("knock_restricted");
    /** Reserved by the spec; no one can join under it. */
    public static final JoinRule PRIVATE = new JoinRule("private");

    private static final List<JoinRule> KNOWN = List.of(PUBLIC, INVITE, KNOCK, RESTRICTED, KNOCK_RESTRICTED, PRIVATE);

    /** Requires the value; unknown values are kept. */
    public JoinRule {
        Objects.requireNonNull(value, "value");
    }

    /** The rule written {@code value}: a constant when known, else an unknown rule. */
    public static JoinRule of(String value) {
        return new JoinRule(value);
    }

    /** A rule the spec does not define. */
    public static JoinRule unknown(String value) {
        return new JoinRule(value);
    }

    /** True for the values the spec defines. */
    public boolean isKnown() {
        return KNOWN.contains(this);
    }

    @Override
    public String toString() {
        return value;
    }
}
