package dev.myelin.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StreamChangeCacheTest {
    @Test
    void knowsNothingBeforeItsStartAndEverythingAfter() {
        StreamChangeCache<String> cache = new StreamChangeCache<>("rooms", 10, 100);
        assertThat(cache.hasChangedSince("a", 9))
                .as("before the start it cannot tell")
                .isTrue();
        assertThat(cache.hasChangedSince("a", 10)).isFalse();
        cache.entityChanged("a", 12);
        assertThat(cache.hasChangedSince("a", 11)).isTrue();
        assertThat(cache.hasChangedSince("a", 12)).isFalse();
        assertThat(cache.hasChangedSince("b", 11)).isFalse();
        assertThat(cache.changedSince(10)).contains(Set.of("a"));
        assertThat(cache.changedSince(12)).contains(Set.of());
        assertThat(cache.changedSince(9)).isEmpty();
    }

    @Test
    void aLaterChangeReplacesAnEarlierOneAndAnOlderOneIsIgnored() {
        StreamChangeCache<String> cache = new StreamChangeCache<>("rooms", 0, 100);
        cache.entityChanged("a", 5);
        cache.entityChanged("a", 3);
        assertThat(cache.lastChange("a")).contains(5L);
        cache.entityChanged("a", 8);
        assertThat(cache.changedSince(5)).contains(Set.of("a"));
        assertThat(cache.changedSince(8)).contains(Set.of());
    }

    @Test
    void overCapacityItForgetsTheOldestAndAnswersChangedForThem() {
        StreamChangeCache<String> cache = new StreamChangeCache<>("rooms", 0, 2);
        cache.entityChanged("a", 1);
        cache.entityChanged("b", 2);
        cache.entityChanged("c", 3);
        assertThat(cache.earliestKnown()).isEqualTo(1);
        assertThat(cache.hasChangedSince("a", 0)).isTrue();
        assertThat(cache.hasChangedSince("a", 1))
                .as("forgotten, but nothing after 1 was")
                .isFalse();
        assertThat(cache.hasChangedSince("z", 0))
                .as("before the earliest known position")
                .isTrue();
        assertThat(cache.changedSince(0)).isEmpty();
        assertThat(cache.changedSince(1)).contains(Set.of("b", "c"));
    }

    @Test
    void aConcurrentReaderNeverMissesAChangeWhileEntriesAreEvicted() throws Exception {
        StreamChangeCache<Integer> cache = new StreamChangeCache<>("rooms", 0, 50);
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int pos = 1; pos <= 200_000; pos++) {
                cache.entityChanged(pos % 500, pos);
            }
            stop.set(true);
        });
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                for (int entity = 0; entity < 500; entity++) {
                    Long last = cache.lastChange(entity).orElse(null);
                    if (last != null && !cache.hasChangedSince(entity, last - 1)) {
                        synchronized (failures) {
                            failures.add(new AssertionError(entity + " changed at " + last));
                        }
                    }
                }
            }
        });
        writer.join();
        reader.join();
        assertThat(failures).isEmpty();
    }

    @Test
    void forgettingUpToAPositionAnswersChangedForEverythingBeforeIt() {
        StreamChangeCache<String> cache = new StreamChangeCache<>("rooms", 0, 100);
        cache.entityChanged("a", 3);
        cache.entityChanged("b", 7);
        cache.forgetUpTo(5);
        assertThat(cache.earliestKnown()).isEqualTo(5);
        assertThat(cache.hasChangedSince("c", 4)).as("may have been missed").isTrue();
        assertThat(cache.hasChangedSince("a", 5)).isFalse();
        assertThat(cache.hasChangedSince("b", 5)).isTrue();
        assertThat(cache.changedSince(5)).contains(Set.of("b"));
        assertThat(cache.changedSince(4)).isEmpty();
        cache.forgetUpTo(2);
        assertThat(cache.earliestKnown()).as("never moves back").isEqualTo(5);
    }
}
