package dev.myelin.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.stream.Stream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingWakesTest {
    private final Map<Stream, Long> positions = new EnumMap<>(Stream.class);
    private final List<String> woken = new ArrayList<>();
    private int wokeAll;
    private final PendingWakes wakes = new PendingWakes(s -> positions.getOrDefault(s, 0L), new PendingWakes.Target() {
        @Override
        public void wake(List<UserId> users, List<RoomId> rooms) {
            users.forEach(u -> woken.add(u.toString()));
            rooms.forEach(r -> woken.add(r.value()));
        }

        @Override
        public void wakeAll() {
            wokeAll++;
        }
    });

    @Test
    void aWakeFiresOnlyOnceThisProcessReachedTheSendersPositions() {
        UserId alice = UserId.parse("@alice:hs");
        RoomId room = RoomId.parse("!r:hs");
        positions.put(Stream.EVENTS, 5L);
        wakes.add(new PendingWakes.Wake(List.of(alice), List.of(room), Map.of(Stream.EVENTS, 7L, Stream.RECEIPTS, 0L)));
        assertThat(woken).as("the change that woke it is not visible here yet").isEmpty();
        assertThat(wakes.size()).isEqualTo(1);

        positions.put(Stream.EVENTS, 7L);
        wakes.fireReached();
        assertThat(woken).containsExactly("@alice:hs", "!r:hs");
        assertThat(wakes.size()).isZero();

        wakes.add(new PendingWakes.Wake(List.of(alice), List.of(), Map.of(Stream.EVENTS, 3L)));
        assertThat(woken).as("already reached: at once").hasSize(3);
    }

    @Test
    void tooManyWaitingWakesWakeEverythingInsteadOfGrowing() {
        positions.put(Stream.EVENTS, 0L);
        for (int i = 0; i <= PendingWakes.LIMIT; i++) {
            wakes.add(new PendingWakes.Wake(List.of(), List.of(RoomId.parse("!r:hs")), Map.of(Stream.EVENTS, 1L)));
        }
        assertThat(wokeAll).isEqualTo(1);
        assertThat(wakes.size()).isZero();
    }
}
