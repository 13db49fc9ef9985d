package dev.myelin.storage.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.ManualClock;
import dev.myelin.storage.Database;
import dev.myelin.storage.account.UserDirectoryStore.Entry;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UserDirectoryStoreTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final UserId CAROL = UserId.of("carol", SERVER);
    private static final UserId MALLORY = UserId.of("mallory", SERVER);

    /** Alice "Alice Liddell" with an avatar, Bob "Bobby Tables", Carol without a profile, Mallory deactivated. */
    private static UserDirectoryStore seeded(Database db) {
        UserStore users = new UserStore(db, new ManualClock(), PasswordHasher.bcrypt(4));
        ProfileStore profiles = new ProfileStore(db);
        for (UserId user : List.of(ALICE, BOB, CAROL, MALLORY)) {
            users.create(user, null, false);
        }
        profiles.setDisplayName(ALICE, "Alice Liddell");
        profiles.setAvatarUrl(ALICE, "mxc://example.org/alice");
        profiles.setDisplayName(BOB, "Bobby 100%_Tables");
        profiles.setDisplayName(MALLORY, "Mallory Alice");
        users.deactivate(MALLORY);
        return new UserDirectoryStore(db);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void matchesLocalpartsAndDisplayNamesIgnoringCaseInUserIdOrder(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            UserDirectoryStore store = seeded(db);
            Entry alice = new Entry(ALICE, Optional.of("Alice Liddell"), Optional.of("mxc://example.org/alice"));
            Entry bob = new Entry(BOB, Optional.of("Bobby 100%_Tables"), Optional.empty());
            Entry carol = new Entry(CAROL, Optional.empty(), Optional.empty());

            assertThat(store.search("LIDDELL", 10)).isEqualTo(List.of(alice));
            assertThat(store.search("carol", 10)).as("a user without a profile").isEqualTo(List.of(carol));
            assertThat(store.search("o", 10)).as("localpart or display name").isEqualTo(List.of(bob, carol));
            assertThat(store.search("", 10)).isEqualTo(List.of(alice, bob, carol));
            assertThat(store.search("nobody", 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void leavesOutDeactivatedUsersAndStopsAtTheLimit(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            UserDirectoryStore store = seeded(db);

            assertThat(store.search("mallory", 10)).isEmpty();
            assertThat(store.search("alice", 10)).extracting(Entry::userId).isEqualTo(List.of(ALICE));
            assertThat(store.search("", 2)).extracting(Entry::userId).isEqualTo(List.of(ALICE, BOB));
            assertThat(store.search("", 0)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void wildcardCharactersInTheTermMatchOnlyThemselves(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            UserDirectoryStore store = seeded(db);
            Entry bob = new Entry(BOB, Optional.of("Bobby 100%_Tables"), Optional.empty());

            assertThat(store.search("%", 10)).isEqualTo(List.of(bob));
            assertThat(store.search("_", 10)).isEqualTo(List.of(bob));
            assertThat(store.search("0%_t", 10)).isEqualTo(List.of(bob));
            assertThat(store.search("a%e", 10)).as("not a pattern").isEmpty();
        }
    }
}
