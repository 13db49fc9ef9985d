package dev.myelin.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.TestWaits;
import dev.myelin.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FutureCacheTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void concurrentCallersShareOneInFlightLookup() throws Exception {
        FutureCache<String, String> cache =
                FutureCache.builder("shared").clock(clock).build();
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> results = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<String> result = new CompletableFuture<>();
            results.add(result);
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    cache.get("!room:example.org", key -> {
                                loads.incrementAndGet();
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    throw new IllegalStateException(e);
                                }
                                return "state of " + key;
                            })
                            .whenComplete((v, e) -> {
                                if (e != null) {
                                    result.completeExceptionally(e);
                                } else {
                                    result.complete(v);
                                }
                            });
                } catch (InterruptedException e) {
                    result.completeExceptionally(e);
                }
            }));
        }
        go.countDown();
        for (Thread caller : callers) {
            caller.join();
        }
        // every caller has its future before the one lookup is let finish
        release.countDown();
        for (CompletableFuture<String> result : results) {
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("state of !room:example.org");
        }
        assertThat(loads.get()).isEqualTo(1);
        TestWaits.until(() -> cache.stats().loads() == 1);
        CacheStats stats = cache.stats();
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.hits()).isEqualTo(49);
        assertThat(stats.loads()).isEqualTo(1);
    }

    @Test
    void failedLookupIsNotCachedSoTheNextCallRetries() throws Exception {
        FutureCache<String, String> cache =
                FutureCache.builder("retry").clock(clock).build();
        CompletableFuture<String> failed = cache.get("k", key -> {
            throw new IllegalStateException("database down");
        });
        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .hasMessage("database down");
        assertThat(cache.get("k", key -> "recovered").get(5, TimeUnit.SECONDS)).isEqualTo("recovered");
        TestWaits.until(() -> cache.stats().loadFailures() == 1);
    }

    @Test
    void failedLookupIsNeverHandedToALaterCaller() throws Exception {
        FutureCache<String, String> cache =
                FutureCache.builder("no-cached-failure").clock(clock).build();
        for (int attempt = 0; attempt < 100; attempt++) {
            CompletableFuture<String> failed =
                    cache.getAsync("k", key -> CompletableFuture.failedFuture(new IllegalStateException("down")));
            assertThat(failed).isCompletedExceptionally();
            assertThat(cache.getAsync("k", key -> CompletableFuture.completedFuture("up"))
                            .get(5, TimeUnit.SECONDS))
                    .isEqualTo("up");
            cache.invalidate("k");
        }
    }

    @Test
    void cachedValueIsServedWithoutLoading() throws Exception {
        FutureCache<String, String> cache =
                FutureCache.builder("hit").clock(clock).build();
        cache.get("k", key -> "first").get(5, TimeUnit.SECONDS);
        assertThat(cache.get("k", key -> "second").get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(cache.stats().hits()).isEqualTo(1);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    @Test
    void invalidateRemovesOneKey() {
        FutureCache<String, String> cache =
                FutureCache.builder("invalidate").clock(clock).build();
        cache.put("a", "1");
        cache.put("b", "2");
        cache.invalidate("a");
        assertThat(cache.getIfPresent("a")).isEmpty();
        assertThat(cache.getIfPresent("b")).isPresent();
    }

    @Test
    void invalidateAllRemovesEverything() {
        FutureCache<String, String> cache =
                FutureCache.builder("all").clock(clock).build();
        cache.put("a", "1");
        cache.put("b", "2");
        cache.invalidateAll();
        assertThat(cache.size()).isZero();
    }

    @Test
    void invalidatePrefixRemovesEveryKeyOfARoom() {
        FutureCache<CacheKey, String> cache =
                FutureCache.builder("room-state").clock(clock).build();
        cache.put(CacheKey.of("!a:hs", "m.room.member", "@u:hs"), "join");
        cache.put(CacheKey.of("!a:hs", "m.room.name", ""), "A");
        cache.put(CacheKey.of("!b:hs", "m.room.name", ""), "B");
        assertThat(cache.invalidatePrefix("!a:hs")).isEqualTo(2);
        assertThat(cache.getIfPresent(CacheKey.of("!a:hs", "m.room.name", ""))).isEmpty();
        assertThat(cache.getIfPresent(CacheKey.of("!b:hs", "m.room.name", ""))).isPresent();
    }

    @Test
    void invalidatePrefixMatchesWholePartsOnly() {
        FutureCache<CacheKey, String> cache =
                FutureCache.builder("parts").clock(clock).build();
        cache.put(CacheKey.of("!a:hs", "m.room.name"), "A");
        cache.put(CacheKey.of("!a:hs2", "m.room.name"), "A2");
        assertThat(cache.invalidatePrefix("!a:hs", "m.room.name")).isEqualTo(1);
        assertThat(cache.getIfPresent(CacheKey.of("!a:hs2", "m.room.name"))).isPresent();
    }

    @Test
    void plainKeysCountAsOnePart() {
        FutureCache<String, String> cache =
                FutureCache.builder("plain").clock(clock).build();
        cache.put("@u:hs", "x");
        assertThat(cache.invalidatePrefix("@u:hs")).isEqualTo(1);
    }

    @Test
    void entryExpiresExactlyAfterTheWriteTimeOnTheClock() throws Exception {
        FutureCache<String, String> cache = FutureCache.builder("expiring")
                .clock(clock)
                .expireAfterWrite(Duration.ofMinutes(10))
                .build();
        cache.get("k", key -> "v").get(5, TimeUnit.SECONDS);
        clock.advance(Duration.ofMinutes(10).minusNanos(1));
        assertThat(cache.getIfPresent("k")).isPresent();
        clock.advance(Duration.ofNanos(1));
        assertThat(cache.getIfPresent("k")).isEmpty();
        assertThat(cache.stats().evictions()).isEqualTo(1);
    }

    @Test
    void maximumSizeEvictsEntries() {
        FutureCache<Integer, String> cache =
                FutureCache.builder("bounded").clock(clock).maximumSize(10).build();
        for (int i = 0; i < 100; i++) {
            cache.put(i, "v" + i);
        }
        assertThat(cache.size()).isEqualTo(10);
        assertThat(cache.stats().evictions()).isEqualTo(90);
    }

    @Test
    void invalidationDuringALookupKeepsItsResultOutOfTheCache() throws Exception {
        FutureCache<String, String> cache =
                FutureCache.builder("race").clock(clock).build();
        CompletableFuture<String> lookup = new CompletableFuture<>();
        CompletableFuture<String> waiting = cache.getAsync("k", key -> lookup);
        cache.invalidate("k");
        lookup.complete("stale");
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("stale");
        assertThat(cache.getIfPresent("k")).isEmpty();
    }

    @Test
    void callerThatCancelsDoesNotCancelTheSharedLookup() throws Exception {
        FutureCache<String, String> cache =
                FutureCache.builder("cancel").clock(clock).build();
        CompletableFuture<String> lookup = new CompletableFuture<>();
        CompletableFuture<String> impatient = cache.getAsync("k", key -> lookup);
        CompletableFuture<String> patient = cache.getAsync("k", key -> CompletableFuture.completedFuture("other"));
        impatient.cancel(false);
        assertThat(lookup).isNotCancelled();
        lookup.complete("value");
        assertThat(patient.get(5, TimeUnit.SECONDS)).isEqualTo("value");
    }

    @Test
    void hasAName() {
        assertThat(FutureCache.builder("device-lists").build().name()).isEqualTo("device-lists");
    }

    @Test
    void cacheKeyRejectsEmptyAndNullParts() {
        assertThatThrownBy(CacheKey::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CacheKey.of("a", null)).isInstanceOf(NullPointerException.class);
    }
}
