package dev.myelin.server.handler.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Which member events each device has been sent by lazy-loading syncs, so an incremental sync leaves
 * out the member events of timeline senders the client already holds (unless the filter sets
 * {@code include_redundant_members}). It is a bounded, expiring memory of this process: when it has
 * forgotten a member, the event is sent again, which costs bytes but never correctness.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#lazy-loading-room-members">Lazy-loading room members</a>
 */
final class SentMembers {
    /** How long a device's record lives after its last sync: a client gone longer gets members again. */
    private static final Duration IDLE = Duration.ofMinutes(30);

    private static final int MAX_DEVICES = 10_000;
    private static final int MAX_MEMBERS_PER_DEVICE = 5_000;

    private record Device(UserId user, Optional<DeviceId> device) {}

    private record Member(RoomId room, String userId) {}

    private final Cache<Device, Cache<Member, EventId>> devices;
    private final Clock clock;

    SentMembers(Clock clock) {
        this.clock = clock;
        this.devices = Caffeine.newBuilder()
                .ticker(clock::monotonicNanos)
                .expireAfterAccess(IDLE)
                .maximumSize(MAX_DEVICES)
                .build();
    }

    /** Forgets what the device was sent: an initial sync starts the client's view afresh. */
    void forget(UserId user, Optional<DeviceId> device) {
        devices.invalidate(new Device(user, device));
    }

    /** Whether the device was last sent {@code event} as {@code member}'s event in {@code room}. */
    boolean has(UserId user, Optional<DeviceId> device, RoomId room, String member, EventId event) {
        Cache<Member, EventId> sent = devices.getIfPresent(new Device(user, device));
        return sent != null && event.equals(sent.getIfPresent(new Member(room, member)));
    }

    /** Records that the device now holds {@code event} as {@code member}'s event in {@code room}. */
    void record(UserId user, Optional<DeviceId> device, RoomId room, String member, EventId event) {
        devices.get(
                        new Device(user, device),
                        d -> Caffeine.newBuilder()
                                .ticker(clock::monotonicNanos)
                                .maximumSize(MAX_MEMBERS_PER_DEVICE)
                                .<Member, EventId>build())
                .put(new Member(room, member), event);
    }
}
