package dev.myelin.storage.account;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Hashes and checks passwords with BCrypt. The cost is a parameter because every step doubles the work:
 * 12 is a reasonable production default, tests use the minimum of 4.
 */
public final class PasswordHasher {
    /** BCrypt only reads the first 72 bytes of a password; longer ones are refused rather than truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private final int cost;
    private final String dummyHash;

    private PasswordHasher(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be between 4 and 31, got " + cost);
        }
        this.cost = cost;
        this.dummyHash = BCrypt.hashpw("not a password", BCrypt.gensalt(cost));
    }

    /** BCrypt with the given cost (log2 of the rounds). */
    public static PasswordHasher bcrypt(int cost) {
        return new PasswordHasher(cost);
    }

    /** The hash to store for {@code password}. */
    public String hash(String password) {
        requireHashable(password);
        return BCrypt.hashpw(password, BCrypt.gensalt(cost));
    }

    /** Whether {@code password} matches {@code hash}; false for any malformed input. */
    public boolean matches(@Nullable String password, @Nullable String hash) {
        if (password == null || hash == null || !isHashable(password)) {
            return false;
        }
        try {
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Does the work of a check without a real hash, so unknown users take as long as wrong passwords. */
    void burnTime(String password) {
        matches(password == null ? "" : password, dummyHash);
    }

    static boolean isHashable(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
    }

    static void requireHashable(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        if (!isHashable(password)) {
            throw new IllegalArgumentException("password must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
    }
}
