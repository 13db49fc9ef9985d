package dev.myelin.server.handler.sync;

import dev.myelin.http.error.MatrixException;

/**
 * The {@code since}/{@code next_batch} token of {@code /sync}: one position per stream a sync
 * reads, written {@code s<events>_<account data>_<receipts>_<typing>_<to-device>_<device lists>_<presence>}.
 * The leading {@code s} is the format's version: a later format takes another letter. Parts
 * appended after the known ones (by a newer server version) are ignored, so a rollback does not
 * force clients into an initial sync; a token without the presence part (issued before presence
 * was tracked) reads as presence position 0.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#syncing">Syncing</a>
 */
public record SyncToken(
        long events, long accountData, long receipts, long typing, long toDevice, long deviceLists, long presence) {
    /** Parts every token has; the presence part came later and may be missing. */
    private static final int REQUIRED_PARTS = 6;

    private static final int PARTS = 7;

    public SyncToken {
        if (events < 0
                || accountData < 0
                || receipts < 0
                || typing < 0
                || toDevice < 0
                || deviceLists < 0
                || presence < 0) {
            throw new IllegalArgumentException("stream positions are never negative");
        }
    }

    /** A token at presence position 0, as tokens from before presence was tracked read. */
    public SyncToken(long events, long accountData, long receipts, long typing, long toDevice, long deviceLists) {
        this(events, accountData, receipts, typing, toDevice, deviceLists, 0);
    }

    public String encode() {
        return "s" + events + "_" + accountData + "_" + receipts + "_" + typing + "_" + toDevice + "_" + deviceLists
                + "_" + presence;
    }

    /** Parses a token; 400 {@code M_INVALID_PARAM} when it is not one this server issued. */
    public static SyncToken parse(String token) {
        if (token == null || !token.startsWith("s")) {
            throw invalid();
        }
        String[] parts = token.substring(1).split("_", -1);
        if (parts.length < REQUIRED_PARTS) {
            throw invalid();
        }
        long[] values = new long[PARTS];
        for (int i = 0; i < Math.min(parts.length, PARTS); i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 18 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid();
            }
            values[i] = Long.parseLong(part);
        }
        return new SyncToken(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
    }

    /**
     * This token with every position no later than {@code now}'s: a token from the future (a restored
     * database, or the in-memory typing stream after a restart) then re-sends what lies between
     * instead of withholding it until the stream catches up.
     */
    public SyncToken clampTo(SyncToken now) {
        return new SyncToken(
                Math.min(events, now.events),
                Math.min(accountData, now.accountData),
                Math.min(receipts, now.receipts),
                Math.min(typing, now.typing),
                Math.min(toDevice, now.toDevice),
                Math.min(deviceLists, now.deviceLists),
                Math.min(presence, now.presence));
    }

    private static MatrixException invalid() {
        return MatrixException.invalidParam("since", "not a sync token issued by this server");
    }
}
