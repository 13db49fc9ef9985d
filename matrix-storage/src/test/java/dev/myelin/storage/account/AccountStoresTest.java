package dev.myelin.storage.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.ManualClock;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.stream.StreamIds;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccountStoresTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final RoomId ROOM = RoomId.of("room1", SERVER);
    private static final PasswordHasher FAST_HASHER = PasswordHasher.bcrypt(4);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void createsUsersAndChecksPasswords(Kind kind) {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000));
        try (Database db = TestDatabases.fresh(kind)) {
            UserStore users = new UserStore(db, clock, FAST_HASHER);
            assertThat(users.create(ALICE, "correct horse", false)).isTrue();
            assertThat(users.create(ALICE, "other", true)).isFalse();
            assertThat(users.isLocalpartTaken("alice")).isTrue();
            assertThat(users.isLocalpartTaken("bob")).isFalse();
            assertThat(users.get(ALICE))
                    .contains(new UserAccount(ALICE, Instant.ofEpochMilli(1_000), false, false, true));
            assertThat(users.checkPassword(ALICE, "correct horse")).isTrue();
            assertThat(users.checkPassword(ALICE, "wrong")).isFalse();
            assertThat(users.checkPassword(BOB, "correct horse")).isFalse();

            assertThat(users.setPassword(ALICE, "battery staple")).isTrue();
            assertThat(users.checkPassword(ALICE, "correct horse")).isFalse();
            assertThat(users.checkPassword(ALICE, "battery staple")).isTrue();

            assertThat(users.deactivate(ALICE)).isTrue();
            assertThat(users.checkPassword(ALICE, "battery staple")).isFalse();
            assertThat(users.get(ALICE).orElseThrow().deactivated()).isTrue();
            assertThat(users.isLocalpartTaken("alice"))
                    .as("localparts are never reused")
                    .isTrue();
            assertThat(users.deactivate(BOB)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void accessTokensExpireExactlyAtTheirBoundary(Kind kind) {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(10_000));
        try (Database db = TestDatabases.fresh(kind)) {
            AccessTokenStore tokens = new AccessTokenStore(db, clock);
            DeviceId device = new DeviceId("DEV1");
            IssuedTokens issued = tokens.issue(ALICE, device, Duration.ofMillis(500), false);
            assertThat(issued.validUntil()).contains(Instant.ofEpochMilli(10_500));
            assertThat(tokens.lookup(issued.accessToken()))
                    .contains(new TokenInfo(ALICE, Optional.of(device), Optional.of(Instant.ofEpochMilli(10_500))));

            clock.advance(Duration.ofMillis(499));
            assertThat(tokens.lookup(issued.accessToken()))
                    .as("one millisecond before expiry")
                    .isPresent();
            clock.advance(Duration.ofMillis(1));
            assertThat(tokens.lookup(issued.accessToken()))
                    .as("valid at the expiry instant itself")
                    .isPresent();
            assertThat(tokens.isExpired(issued.accessToken())).isFalse();
            clock.advance(Duration.ofMillis(1));
            assertThat(tokens.lookup(issued.accessToken()))
                    .as("one millisecond after expiry")
                    .isEmpty();
            assertThat(tokens.isExpired(issued.accessToken())).isTrue();
            assertThat(tokens.isExpired("unknown-token")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void tokensAreStoredHashedAndDeletable(Kind kind) {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(0));
        try (Database db = TestDatabases.fresh(kind)) {
            AccessTokenStore tokens = new AccessTokenStore(db, clock);
            DeviceId d1 = new DeviceId("D1");
            DeviceId d2 = new DeviceId("D2");
            IssuedTokens a = tokens.issue(ALICE, d1, null, false);
            IssuedTokens b = tokens.issue(ALICE, d2, null, false);
            IssuedTokens c = tokens.issue(BOB, null, null, false);
            assertThat(a.accessToken()).isNotEqualTo(b.accessToken()).hasSizeGreaterThan(40);
            assertThat(tokens.lookup("myl_unknown")).isEmpty();
            assertThat(tokens.lookup(AccessTokenStore.hash(a.accessToken())))
                    .as("the hash is not a token")
                    .isEmpty();

            assertThat(tokens.deleteForDevice(ALICE, d1)).isEqualTo(1);
            assertThat(tokens.lookup(a.accessToken())).isEmpty();
            assertThat(tokens.lookup(b.accessToken())).isPresent();
            assertThat(tokens.delete(c.accessToken())).isTrue();
            assertThat(tokens.delete(c.accessToken())).isFalse();
            assertThat(tokens.deleteForUser(ALICE)).isEqualTo(1);
            assertThat(tokens.lookup(b.accessToken())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refreshTokensRotate(Kind kind) {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(0));
        try (Database db = TestDatabases.fresh(kind)) {
            AccessTokenStore tokens = new AccessTokenStore(db, clock);
            IssuedTokens first = tokens.issue(ALICE, new DeviceId("D"), Duration.ofMinutes(5), true);
            assertThat(first.refreshToken()).isPresent();
            IssuedTokens second = tokens.refresh(first.refreshToken().orElseThrow(), Duration.ofMinutes(5))
                    .orElseThrow();
            assertThat(tokens.lookup(first.accessToken()))
                    .as("old access token revoked")
                    .isEmpty();
            assertThat(tokens.lookup(second.accessToken())).map(TokenInfo::user).contains(ALICE);
            assertThat(tokens.refresh(first.refreshToken().orElseThrow(), null))
                    .as("a refresh token works once")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void devicesProfilesAndFilters(Kind kind) {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(42));
        try (Database db = TestDatabases.fresh(kind)) {
            DeviceStore devices = new DeviceStore(db, clock);
            DeviceId dev = new DeviceId("PHONE");
            assertThat(devices.create(ALICE, dev, "Phone")).isTrue();
            assertThat(devices.create(ALICE, dev, "Other")).isFalse();
            devices.recordSeen(ALICE, dev, "10.0.0.1", "Element");
            assertThat(devices.get(ALICE, dev))
                    .contains(new Device(
                            ALICE,
                            dev,
                            Optional.of("Phone"),
                            Optional.of("10.0.0.1"),
                            Optional.of("Element"),
                            Optional.of(Instant.ofEpochMilli(42))));
            assertThat(devices.setDisplayName(ALICE, dev, null)).isTrue();
            assertThat(devices.list(ALICE))
                    .hasSize(1)
                    .first()
                    .extracting(Device::displayName)
                    .isEqualTo(Optional.empty());
            assertThat(devices.delete(ALICE, dev)).isTrue();
            assertThat(devices.list(ALICE)).isEmpty();

            ProfileStore profiles = new ProfileStore(db);
            assertThat(profiles.get(ALICE)).isEqualTo(Profile.EMPTY);
            profiles.setDisplayName(ALICE, "Alice");
            profiles.setAvatarUrl(ALICE, "mxc://example.org/abc");
            assertThat(profiles.get(ALICE))
                    .isEqualTo(new Profile(Optional.of("Alice"), Optional.of("mxc://example.org/abc")));

            FilterStore filters = new FilterStore(db);
            var filter = Json.object().put("event_fields", "type");
            assertThat(filters.add(ALICE, filter)).isZero();
            assertThat(filters.add(ALICE, filter)).isEqualTo(1);
            assertThat(filters.add(BOB, filter)).isZero();
            assertThat(filters.get(ALICE, 1)).contains(filter);
            assertThat(filters.get(ALICE, 7)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void accountDataAndTagsFollowTheStream(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            StreamIds streams = new StreamIds(db);
            AccountDataStore data = new AccountDataStore(db, streams);
            TagStore tags = new TagStore(db, streams);
            long start = data.currentPosition();
            long p1 = data.putGlobal(ALICE, "m.push_rules", Json.object().put("v", 1));
            long p2 = data.putForRoom(ALICE, ROOM, "m.fully_read", Json.object().put("event_id", "$x"));
            long p3 = data.putGlobal(ALICE, "m.push_rules", Json.object().put("v", 2));
            assertThat(p1).isLessThan(p2);
            assertThat(p2).isLessThan(p3);
            assertThat(data.getGlobal(ALICE, "m.push_rules"))
                    .contains(Json.object().put("v", 2));
            assertThat(data.getForRoom(ALICE, ROOM, "m.fully_read")).isPresent();
            assertThat(data.getGlobal(BOB, "m.push_rules")).isEmpty();
            assertThat(data.changesSince(ALICE, start))
                    .extracting(AccountDataChange::streamId)
                    .containsExactly(p2, p3);
            assertThat(data.changesSince(ALICE, p2))
                    .extracting(AccountDataChange::type)
                    .containsExactly("m.push_rules");

            long p4 = tags.addTag(ALICE, ROOM, "m.favourite", Json.object().put("order", "0.5"));
            tags.addTag(ALICE, ROOM, "u.work", Json.object());
            long p6 = tags.removeTag(ALICE, ROOM, "u.work");
            assertThat(tags.tags(ALICE, ROOM)).containsOnlyKeys("m.favourite");
            assertThat(p6).isGreaterThan(p4);
            var tagData = data.getForRoom(ALICE, ROOM, TagStore.TAG_EVENT_TYPE).orElseThrow();
            assertThat(tagData.path("tags").has("m.favourite")).isTrue();
            assertThat(tagData.path("tags").has("u.work")).isFalse();
            assertThat(data.currentPosition()).isEqualTo(p6);
        }
    }
}
