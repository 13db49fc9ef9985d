package dev.myelin.core.auth;

import java.util.Objects;

/**
 * The outcome of checking an event against the authorization rules.
 *
 * @see EventAuthorizer
 */
public sealed interface AuthResult {

    /** The event passes the rules. */
    static AuthResult allowed() {
        return Allowed.INSTANCE;
    }

    /** The event fails the rule {@code reason} names. */
    static AuthResult rejected(String reason) {
        return new Rejected(reason);
    }

    /** True for {@link Allowed}. */
    default boolean isAllowed() {
        return this instanceof Allowed;
    }

    /** The event passes the rules. */
    record Allowed() implements AuthResult {
        static final Allowed INSTANCE = new Allowed();
    }

    /**
     * The event fails a rule.
     *
     * @param reason which rule failed and why, starting with the rule's subject, for example
     *     {@code "m.room.member join: the sender is banned"}
     */
    record Rejected(String reason) implements AuthResult {
        /** Requires a reason. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
