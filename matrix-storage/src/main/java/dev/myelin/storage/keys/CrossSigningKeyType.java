package dev.myelin.storage.keys;

/**
 * The three cross-signing keys of a user, by the {@code usage} each carries.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#cross-signing">Cross-signing</a>
 */
public enum CrossSigningKeyType {
    /** The master key, which signs the other two. */
    MASTER("master"),
    /** Signs the user's own devices. */
    SELF_SIGNING("self_signing"),
    /** Signs other users' master keys. */
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
