package dev.myelin.server.handler.backup;

import dev.myelin.storage.backup.SessionBackup;

/**
 * Which of two backed-up keys of one session the server keeps: a verified key beats an unverified
 * one; then the key that decrypts from an earlier message (lower {@code first_message_index});
 * then the one forwarded fewer times. On a tie the stored key stays.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-side-key-backups">Server-side key backups</a>
 */
public final class SessionBackupRule {
    private SessionBackupRule() {}

    /** Whether {@code uploaded} should replace {@code stored}. */
    public static boolean replaces(SessionBackup uploaded, SessionBackup stored) {
        if (uploaded.isVerified() != stored.isVerified()) {
            return uploaded.isVerified();
        }
        if (uploaded.firstMessageIndex() != stored.firstMessageIndex()) {
            return uploaded.firstMessageIndex() < stored.firstMessageIndex();
        }
        return uploaded.forwardedCount() < stored.forwardedCount();
    }
}
