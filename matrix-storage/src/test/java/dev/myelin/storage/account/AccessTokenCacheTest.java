package dev.myelin.storage.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.ManualClock;
import dev.myelin.storage.Database;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The token cache never outlives the row: every way a token is deleted, made through another store
 * over the same database (another request, another area's instance), is seen by the next lookup.
 */
class AccessTokenCacheTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final DeviceId D1 = new DeviceId("D1");
    private static final DeviceId D2 = new DeviceId("D2");

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyKindOfDeleteIsSeenByTheNextLookup(Kind kind) {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(0));
        try (Database db = TestDatabases.fresh(kind)) {
            AccessTokenStore reader = new AccessTokenStore(db, clock);
            AccessTokenStore writer = new AccessTokenStore(db, clock);
            IssuedTokens logout = writer.issue(ALICE, D1, null, false);
            IssuedTokens device = writer.issue(ALICE, D2, null, false);
            IssuedTokens refreshed = writer.issue(ALICE, D1, Duration.ofMinutes(5), true);
            IssuedTokens all = writer.issue(ALICE, null, null, false);
            for (IssuedTokens t : List.of(logout, device, refreshed, all)) {
                assertThat(reader.lookup(t.accessToken())).as("cached").isPresent();
            }

            assertThat(writer.delete(logout.accessToken())).isTrue();
            assertThat(reader.lookup(logout.accessToken())).as("logout").isEmpty();

            assertThat(writer.deleteForDevice(ALICE, D2)).isEqualTo(1);
            assertThat(reader.lookup(device.accessToken()))
                    .as("device deletion")
                    .isEmpty();

            IssuedTokens next =
                    writer.refresh(refreshed.refreshToken().orElseThrow(), null).orElseThrow();
            assertThat(reader.lookup(refreshed.accessToken()))
                    .as("the access token of a used refresh token")
                    .isEmpty();
            assertThat(reader.lookup(next.accessToken())).isPresent();

            assertThat(writer.deleteForUser(ALICE)).isEqualTo(2);
            assertThat(reader.lookup(all.accessToken())).as("logout/all").isEmpty();
            assertThat(reader.lookup(next.accessToken())).as("logout/all").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aCachedTokenStillExpiresExactly(Kind kind) {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(10_000));
        try (Database db = TestDatabases.fresh(kind)) {
            AccessTokenStore tokens = new AccessTokenStore(db, clock);
            IssuedTokens issued = tokens.issue(ALICE, D1, Duration.ofMillis(500), false);
            assertThat(tokens.lookup(issued.accessToken())).isPresent();
            clock.advance(Duration.ofMillis(500));
            assertThat(tokens.lookup(issued.accessToken()))
                    .as("at the expiry instant")
                    .isPresent();
            clock.advance(Duration.ofMillis(1));
            assertThat(tokens.lookup(issued.accessToken()))
                    .as("one millisecond after")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aLogoutRacingWithLookupsIsRefusedOnceItReturns(Kind kind) throws Exception {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(0));
        try (Database db = TestDatabases.fresh(kind);
                var pool = Executors.newFixedThreadPool(4)) {
            AccessTokenStore reader = new AccessTokenStore(db, clock);
            AccessTokenStore writer = new AccessTokenStore(db, clock);
            for (int round = 0; round < 20; round++) {
                IssuedTokens issued = writer.issue(ALICE, D1, null, false);
                AtomicBoolean loggedOut = new AtomicBoolean();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> readers = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    readers.add(pool.submit(() -> {
                        start.await();
                        boolean sawStale = false;
                        for (int j = 0; j < 20; j++) {
                            boolean after = loggedOut.get();
                            if (reader.lookup(issued.accessToken()).isPresent() && after) {
                                sawStale = true;
                            }
                        }
                        return sawStale;
                    }));
                }
                start.countDown();
                writer.delete(issued.accessToken());
                loggedOut.set(true);
                for (Future<Boolean> r : readers) {
                    assertThat(r.get())
                            .as("a lookup begun after logout returned")
                            .isFalse();
                }
                assertThat(reader.lookup(issued.accessToken())).isEmpty();
            }
        }
    }
}
