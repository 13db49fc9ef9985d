package dev.myelin.server.handler.push;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.cache.CacheInvalidation;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.push.PushEvaluator;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.receipt.ReceiptStore;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Unread counts already worked out per user and room, with the stream positions they were worked out
 * at, so that a {@code /sync} woken by one new message evaluates that message instead of every unread
 * one. A tally stays usable while the user's read receipts in the room, their account data (which
 * holds their push rules) and the room's membership have not changed since those positions; history
 * filled in by backfill ({@link EventStore#ROOM_HISTORY}) drops the room's tallies.
 */
public final class UnreadTallies {
    /** What a count rests on besides the events: the user's rules and the room's state then. */
    record Evaluation(PushEvaluator evaluator, @Nullable String displayName, long members, PowerLevels powerLevels) {}

    /** The stream positions a tally covers, taken before anything was read for it. */
    record Positions(long events, long receipts, long accountData) {}

    /**
     * A count of the events up to {@code positions.events()}, over {@code scanned} events, and how to
     * count more ({@code evaluation}); a null evaluation means the user was not joined.
     */
    record Tally(
            Positions positions,
            NotificationCounts counts,
            int scanned,
            @Nullable Evaluation evaluation) {
        static Tally notJoined(Positions positions) {
            return new Tally(positions, NotificationCounts.ZERO, 0, null);
        }

        Tally movedTo(Positions now, NotificationCounts newCounts, int moreScanned) {
            return new Tally(
                    new Positions(now.events(), positions.receipts(), positions.accountData()),
                    newCounts,
                    scanned + moreScanned,
                    evaluation);
        }
    }

    private record Key(UserId user, RoomId room) {}

    private final EventStore events;
    private final ReceiptStore receipts;
    private final AccountDataStore accountData;
    private final Cache<Key, Tally> tallies =
            Caffeine.newBuilder().maximumSize(200_000).executor(Runnable::run).build();

    public UnreadTallies(
            EventStore events, ReceiptStore receipts, AccountDataStore accountData, CacheInvalidation invalidation) {
        this.events = events;
        this.receipts = receipts;
        this.accountData = accountData;
        invalidation.register(EventStore.ROOM_HISTORY, rooms -> {
            if (rooms.isEmpty()) {
                tallies.invalidateAll();
            } else {
                tallies.asMap()
                        .keySet()
                        .removeIf(key -> rooms.contains(key.room().value()));
            }
        });
    }

    /** The positions now, to be taken before reading what a count rests on. */
    Positions positions() {
        return new Positions(events.currentPosition(), receipts.currentPosition(), accountData.currentPosition());
    }

    /** The tally of {@code user} in {@code room}, unless something it rests on may have moved. */
    Optional<Tally> stillValid(UserId user, RoomId room) {
        Tally tally = tallies.getIfPresent(new Key(user, room));
        if (tally == null
                || receipts.mayHaveChanged(room, tally.positions().receipts())
                || accountData.mayHaveChanged(user, tally.positions().accountData())
                || events.membershipMayHaveChanged(room, tally.positions().events())) {
            return Optional.empty();
        }
        return Optional.of(tally);
    }

    void put(UserId user, RoomId room, Tally tally) {
        tallies.put(new Key(user, room), tally);
    }
}
