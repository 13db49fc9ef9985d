package dev.myelin.server.handler.legacy;

import dev.myelin.server.handler.sync.SyncToken;
import java.util.Optional;

/**
 * The stream tokens of {@code /events} and {@code /initialSync}: the very {@link SyncToken}s of
 * {@code /sync}, so a {@code next_batch}, an initial sync's {@code end} and an event stream's
 * {@code end} all continue one another.
 *
 * <p>These APIs never deliver to-device messages or device-list changes. Their tokens keep those
 * positions where the request's {@code from} had them (to-device at 0 when there was none): a
 * {@code /sync} that goes on from such a token then still delivers what these APIs skipped,
 * instead of treating pending to-device messages as received, which would delete them.
 */
final class LegacyTokens {
    private LegacyTokens() {}

    /**
     * The token at events position {@code events} and {@code now} for the streams these APIs
     * serve; to-device and device lists as {@code from} has them.
     */
    static SyncToken end(SyncToken now, long events, Optional<SyncToken> from) {
        return new SyncToken(
                events,
                now.accountData(),
                now.receipts(),
                now.typing(),
                from.map(SyncToken::toDevice).orElse(0L),
                from.map(SyncToken::deviceLists).orElse(now.deviceLists()),
                now.presence());
    }
}
