package dev.myelin.storage.keys;

/**
 * The three cross-signing keys of a user, by the {@code usage} each carries.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#cross-signing">Cross-signing</a>
 */
public enum CrossSigningKeyType {
    MASTER("master"),
    SELF_SIGNING("self_signing"),
    USER_SIGNING("user_signing");

    private final String usage;

    CrossSigningKeyType(String usage) {
        this.usage = usage;
    }

    /** The {@code usage} value, also the stored {@code key_type}. */
    public String usage() {
        return usage;
    }
}
