package dev.myelin.core.push;

import java.util.Optional;

/**
 * The kinds of push rule, declared in the order a ruleset is evaluated: override rules first,
 * underride rules last.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#push-rules">Push rules</a>
 */
public enum PushRuleKind {
    /** Highest priority, with arbitrary conditions. */
    OVERRIDE("override"),
    /** Matches the message body against a glob. */
    CONTENT("content"),
    /** Matches one room. */
    ROOM("room"),
    /** Matches one sender. */
    SENDER("sender"),
    /** Lowest priority, with arbitrary conditions. */
    UNDERRIDE("underride");

    private final String wireName;

    PushRuleKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in paths and in the ruleset JSON, e.g. {@code override}. */
    public String wireName() {
        return wireName;
    }

    /** The kind named {@code name} exactly (case-sensitive, as in the spec's enum), if any. */
    public static Optional<PushRuleKind> parse(String name) {
        for (PushRuleKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** Whether rules of this kind carry their own {@code conditions} list. */
    public boolean hasConditions() {
        return this == OVERRIDE || this == UNDERRIDE;
    }
}
