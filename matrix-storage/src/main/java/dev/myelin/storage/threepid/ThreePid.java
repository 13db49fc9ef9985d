package dev.myelin.storage.threepid;

/**
 * A third-party identifier bound to a local account.
 *
 * @param userId the account
 * @param medium {@code email} or {@code msisdn}
 * @param address the address as the server compares it (an email lower-cased)
 * @param validatedAt when its ownership was proven, ms since the epoch
 * @param addedAt when it was added to the account, ms since the epoch
 */
public record ThreePid(String userId, String medium, String address, long validatedAt, long addedAt) {}
