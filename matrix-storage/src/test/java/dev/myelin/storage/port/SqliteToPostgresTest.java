package dev.myelin.storage.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.ManualClock;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.account.PasswordHasher;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqliteToPostgresTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An SQLite database with 25 accounts, each with two account data entries. */
    private static Database filledSqlite() {
        Database db = TestDatabases.fresh(Kind.SQLITE);
        UserStore users = new UserStore(db, new ManualClock(Instant.ofEpochMilli(1_000)), PasswordHasher.bcrypt(4));
        AccountDataStore accountData = new AccountDataStore(db, new StreamIds(db));
        for (int i = 0; i < 25; i++) {
            UserId user = UserId.of("user" + i, SERVER);
            users.create(user, i % 2 == 0 ? "pw" + i : null, i == 0);
            ObjectNode content = JSON.createObjectNode().put("n", i).put("text", "ü€ " + i);
            accountData.putGlobal(user, "m.example", content);
            accountData.putGlobal(user, "m.other", content);
        }
        return db;
    }

    @Test
    void copiesEveryRowAndValueAndMovesTheSequencesOn() {
        try (Database sqlite = filledSqlite();
                Database postgres = TestDatabases.fresh(Kind.POSTGRES)) {
            SqliteToPostgres.Result result = new SqliteToPostgres(sqlite, postgres, PortListener.SILENT, 7).run();

            assertThat(result.mismatches()).isEmpty();
            assertThat(result.resumedTables()).isZero();
            assertThat(result.tables())
                    .filteredOn(t -> t.table().equals("users"))
                    .singleElement()
                    .isEqualTo(new SqliteToPostgres.TableCount("users", 25, 25));
            assertThat(result.tables())
                    .filteredOn(t -> t.table().equals("account_data"))
                    .singleElement()
                    .isEqualTo(new SqliteToPostgres.TableCount("account_data", 50, 50));

            // the ported accounts work through the stores, passwords and admin flag included
            UserStore ported = new UserStore(postgres, new ManualClock(Instant.EPOCH), PasswordHasher.bcrypt(4));
            assertThat(ported.checkPassword(UserId.of("user2", SERVER), "pw2")).isTrue();
            assertThat(ported.get(UserId.of("user0", SERVER)).orElseThrow().admin())
                    .isTrue();
            AccountDataStore portedData = new AccountDataStore(postgres, new StreamIds(postgres));
            assertThat(portedData.getGlobal(UserId.of("user7", SERVER), "m.example"))
                    .contains(JSON.createObjectNode().put("n", 7).put("text", "ü€ 7"));

            // a new write takes a position past every copied one
            long highest = new StreamIds(sqlite).currentPosition(Stream.ACCOUNT_DATA);
            long next = portedData.putGlobal(UserId.of("user1", SERVER), "m.new", JSON.createObjectNode());
            assertThat(next).isGreaterThan(highest);
        }
    }

    @Test
    void resumesAnInterruptedPortWhereItsLastChunkEnded() {
        try (Database sqlite = filledSqlite();
                Database postgres = TestDatabases.fresh(Kind.POSTGRES)) {
            List<String> finished = new ArrayList<>();
            PortListener crashing = new PortListener() {
                @Override
                public void tableStarted(String table, long alreadyCopied, long total) {}

                @Override
                public void rowsCopied(String table, long copied, long total) {
                    if (table.equals("users") && copied == 10) {
                        throw new IllegalStateException("stopped");
                    }
                }

                @Override
                public void tableFinished(String table, long total, boolean resumed) {
                    finished.add(table);
                }
            };
            assertThatThrownBy(() -> new SqliteToPostgres(sqlite, postgres, crashing, 5).run())
                    .hasMessage("stopped");
            assertThat(finished).contains("account_data").doesNotContain("users");

            List<Long> resumedFrom = new ArrayList<>();
            PortListener watching = new PortListener() {
                @Override
                public void tableStarted(String table, long alreadyCopied, long total) {
                    if (table.equals("users")) {
                        resumedFrom.add(alreadyCopied);
                    }
                }

                @Override
                public void rowsCopied(String table, long copied, long total) {}

                @Override
                public void tableFinished(String table, long total, boolean resumed) {}
            };
            SqliteToPostgres.Result result = new SqliteToPostgres(sqlite, postgres, watching, 5).run();
            assertThat(result.mismatches()).isEmpty();
            assertThat(result.resumedTables()).isPositive();
            assertThat(resumedFrom).containsExactly(10L);
        }
    }

    @Test
    void refusesATargetThatAlreadyHoldsData() {
        try (Database sqlite = filledSqlite();
                Database postgres = TestDatabases.fresh(Kind.POSTGRES)) {
            new UserStore(postgres, new ManualClock(Instant.EPOCH), PasswordHasher.bcrypt(4))
                    .create(UserId.of("someone", SERVER), null, false);
            assertThatThrownBy(() -> new SqliteToPostgres(sqlite, postgres, PortListener.SILENT, 100).run())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("already holds data");
        }
    }

    @Test
    void refusesEnginesTheWrongWayRound() {
        try (Database sqlite = TestDatabases.fresh(Kind.SQLITE)) {
            assertThatThrownBy(() -> new SqliteToPostgres(sqlite, sqlite, PortListener.SILENT, 10))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PostgreSQL");
        }
    }
}
