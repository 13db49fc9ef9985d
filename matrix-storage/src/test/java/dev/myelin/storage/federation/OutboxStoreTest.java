package dev.myelin.storage.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.ServerName;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OutboxStoreTest {
    private static final ServerName REMOTE = ServerName.parse("remote.example");
    private static final ServerName OTHER = ServerName.parse("other.example:8448");

    private static OutboxEntry pdu(long position, String room) {
        return new OutboxEntry(position, OutboxEntry.Kind.PDU, Optional.of(room), "{\"p\":" + position + "}");
    }

    private static OutboxEntry edu(long position) {
        return new OutboxEntry(position, OutboxEntry.Kind.EDU, Optional.empty(), "{\"e\":" + position + "}");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void entriesComeBackInOrderPerDestinationAfterReopeningTheDatabase(Kind kind) {
        DatabaseConfig config = TestDatabases.freshConfig(kind);
        try (Database db = Database.open(config)) {
            OutboxStore store = new OutboxStore(db);
            store.append(REMOTE, pdu(2, "!a:x"));
            store.append(REMOTE, edu(1));
            store.append(OTHER, edu(1));
            store.append(REMOTE, pdu(3, "!b:x"));
        }
        try (Database db = Database.open(config)) {
            OutboxStore store = new OutboxStore(db);
            assertThat(store.entries(REMOTE)).containsExactly(edu(1), pdu(2, "!a:x"), pdu(3, "!b:x"));
            assertThat(store.entries(OTHER)).containsExactly(edu(1));
            assertThat(store.destinations()).containsExactlyInAnyOrder(REMOTE, OTHER);
        } finally {
            TestDatabases.discard(config);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void removedEntriesAreGoneAndADestinationWithNothingLeftIsNotListed(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            OutboxStore store = new OutboxStore(db);
            store.append(REMOTE, pdu(1, "!a:x"));
            store.append(REMOTE, pdu(2, "!a:x"));
            store.append(OTHER, edu(1));

            store.remove(REMOTE, List.of(1L));
            assertThat(store.entries(REMOTE)).containsExactly(pdu(2, "!a:x"));
            store.remove(REMOTE, List.of(2L));
            store.remove(REMOTE, List.of());
            assertThat(store.entries(REMOTE)).isEmpty();
            assertThat(store.destinations()).containsExactly(OTHER);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReceivedTransactionKeepsItsFirstAnswer(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            ReceivedTransactionStore store = new ReceivedTransactionStore(db);
            assertThat(store.response(REMOTE, "t1")).isEmpty();
            store.record(REMOTE, "t1", "{\"pdus\":{}}", 1_000);
            store.record(REMOTE, "t1", "{\"other\":1}", 2_000);
            assertThat(store.response(REMOTE, "t1")).contains("{\"pdus\":{}}");
            assertThat(store.response(OTHER, "t1")).as("per origin").isEmpty();
        }
    }
}
