package dev.myelin.storage.account;

import org.jspecify.annotations.Nullable;

/**
 * A registration token as Synapse's admin API shows it.
 *
 * @param usesAllowed how many registrations it may complete; null for no limit
 * @param pending registrations that passed its stage and have not finished
 * @param completed accounts made with it
 * @param expiryTime when it stops being valid, in ms since the epoch; null for never
 */
public record RegistrationToken(
        String token,
        @Nullable Integer usesAllowed,
        int pending,
        int completed,
        @Nullable Long expiryTime) {
    /** Whether a registration may use it at {@code nowMs}: not expired, and a use left. */
    public boolean validAt(long nowMs) {
        return (expiryTime == null || expiryTime > nowMs) && (usesAllowed == null || pending + completed < usesAllowed);
    }
}
