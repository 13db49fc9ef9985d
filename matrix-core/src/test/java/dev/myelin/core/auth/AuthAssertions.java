package dev.myelin.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on {@link AuthResult} that show the reason when they fail. */
final class AuthAssertions {
    private AuthAssertions() {}

    static void assertAllowed(AuthResult result) {
        assertThat(result).as("auth result").isEqualTo(AuthResult.allowed());
    }

    /** Asserts a rejection whose reason contains {@code reasonPart}. */
    static void assertRejected(AuthResult result, String reasonPart) {
        assertThat(result).as("auth result").isInstanceOf(AuthResult.Rejected.class);
        assertThat(((AuthResult.Rejected) result).reason()).contains(reasonPart);
    }
}
