package dev.myelin.storage.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.migration.Migration;
import dev.myelin.storage.migration.Migrator;
import dev.myelin.storage.port.PortListener;
import dev.myelin.storage.port.SqliteToPostgres;
import dev.myelin.storage.room.RoomPurger;
import dev.myelin.storage.search.EventSearchStore.Hit;
import dev.myelin.storage.search.EventSearchStore.Query;
import dev.myelin.storage.testing.Stores;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The full-text index as the event persister writes it, searched on both databases. */
class EventSearchStoreTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final RoomId ROOM = RoomId.of("room", SERVER);
    private static final List<String> ALL_KEYS = List.of("content.body", "content.name", "content.topic");

    /** A room with Alice and Bob, persisted event by event. */
    private static final class Room {
        final Stores stores;
        final EventSearchStore search;
        long depth;
        EventId last;

        Room(Database db) {
            stores = Stores.over(db);
            search = new EventSearchStore(db);
            Pdu create = TestEvents.create(ROOM, ALICE);
            persist(create);
            depth = create.depth();
            persist(TestEvents.member(ROOM, ALICE, "join", List.of(last), ++depth));
            persist(TestEvents.member(ROOM, BOB, "join", List.of(last), ++depth));
        }

        EventId say(UserId sender, String body) {
            return persist(TestEvents.message(ROOM, sender, body, List.of(last), ++depth));
        }

        EventId state(String type, String key, String value) {
            return persist(TestEvents.event(ROOM, ALICE, type)
                    .stateKey("")
                    .content(key, value)
                    .prev(List.of(last))
                    .depth(++depth)
                    .build());
        }

        EventId redact(EventId target) {
            return persist(TestEvents.event(ROOM, ALICE, "m.room.redaction")
                    .redacts(target)
                    .prev(List.of(last))
                    .depth(++depth)
                    .build());
        }

        EventId persist(Pdu event) {
            stores.persister().persist(event);
            last = event.eventId();
            return event.eventId();
        }
    }

    /** The statements of a migration script, split as the migrator splits them. */
    private static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : script.split("\n")) {
            int comment = raw.indexOf("--");
            String line = (comment >= 0 ? raw.substring(0, comment) : raw).stripTrailing();
            if (line.isBlank()) {
                continue;
            }
            current.append(line).append('\n');
            if (line.endsWith(";")) {
                String statement = current.toString().trim();
                out.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        return out;
    }

    private static Query query(String text) {
        return query(text, ALL_KEYS, Optional.empty(), List.of());
    }

    private static Query query(
            String text, Collection<String> keys, Optional<Collection<String>> senders, Collection<String> notSenders) {
        return new Query(EventSearchStore.terms(text), List.of(ROOM), keys, senders, notSenders);
    }

    private static List<EventId> ids(List<Hit> hits) {
        return hits.stream().map(Hit::eventId).toList();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void findsMessagesNamesAndTopicsByRankOrRecencyWithPrefixesAndFilters(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);
            EventId once = r.say(ALICE, "The quick brown fox");
            EventId thrice = r.say(BOB, "fox, fox and more FOX");
            EventId foxes = r.say(ALICE, "Foxes are everywhere");
            r.say(BOB, "a lazy dog");
            EventId name = r.state("m.room.name", "name", "Fox den");
            EventId topic = r.state("m.room.topic", "topic", "all about dogs");
            EventSearchStore s = r.search;

            assertThat(ids(s.byRank(query("fox"), 0, 10)).getFirst())
                    .as("three foxes rank above one")
                    .isEqualTo(thrice);
            assertThat(ids(s.byRank(query("fox"), 0, 10))).containsExactlyInAnyOrder(once, thrice, foxes, name);
            assertThat(ids(s.byRecent(query("fox"), EventSearchStore.RecentCursor.NEWEST, 10)))
                    .containsExactly(name, foxes, thrice, once);
            assertThat(s.count(query("FOX"))).isEqualTo(4);
            assertThat(ids(s.byRecent(query("quick fox"), EventSearchStore.RecentCursor.NEWEST, 10)))
                    .as("every word must match")
                    .containsExactly(once);
            assertThat(ids(s.byRecent(query("dog"), EventSearchStore.RecentCursor.NEWEST, 10)))
                    .hasSize(2)
                    .contains(topic);
            assertThat(ids(s.byRecent(
                            query("fox", List.of("content.name"), Optional.empty(), List.of()),
                            EventSearchStore.RecentCursor.NEWEST,
                            10)))
                    .containsExactly(name);
            assertThat(ids(s.byRecent(
                            query("fox", List.of("content.body"), Optional.of(List.of(BOB.toString())), List.of()),
                            EventSearchStore.RecentCursor.NEWEST,
                            10)))
                    .containsExactly(thrice);
            assertThat(ids(s.byRecent(
                            query("fox", List.of("content.body"), Optional.empty(), List.of(BOB.toString())),
                            EventSearchStore.RecentCursor.NEWEST,
                            10)))
                    .containsExactly(foxes, once);

            List<Hit> recent = s.byRecent(query("fox"), EventSearchStore.RecentCursor.NEWEST, 2);
            assertThat(ids(s.byRecent(query("fox"), recent.getLast().cursor(), 10)))
                    .as("the next batch starts below the last stream ordering")
                    .containsExactly(thrice, once);
            assertThat(ids(s.byRank(query("fox"), 3, 10))).hasSize(1);
            assertThat(s.byRank(query("fox"), 0, 10).getFirst().rank()).isPositive();
            assertThat(s.byRank(
                            new Query(EventSearchStore.terms("fox"), List.of(), ALL_KEYS, Optional.empty(), List.of()),
                            0,
                            10))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void queryLookingTextIsSearchedAsWordsNotSyntax(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);
            EventId quoted = r.say(ALICE, "she said \"hello\" AND left -- NEAR the door's end");
            for (String text : List.of(
                    "\"hello",
                    "hello*",
                    "-hello",
                    "hello AND",
                    "NEAR(hello",
                    "door's",
                    "hello:* & !left | (x",
                    "'; drop table events; --",
                    "\\hello\\",
                    "^hello OR")) {
                assertThat(r.search.count(query(text)))
                        .as(text)
                        .isEqualTo(ids(r.search.byRank(query(text), 0, 10)).size());
            }
            assertThat(ids(r.search.byRank(query("\"hello"), 0, 10))).containsExactly(quoted);
            assertThat(ids(r.search.byRank(query("door's"), 0, 10))).containsExactly(quoted);
            assertThat(ids(r.search.byRank(query("-hello AND"), 0, 10))).containsExactly(quoted);
            assertThat(r.search.byRank(query("*** --- \"\""), 0, 10)).isEmpty();
        }
    }

    @Test
    void termsAreLowerCasedWordsWithoutSyntax() {
        assertThat(EventSearchStore.terms("Hello, \"World\"* -foo AND bar's café_2"))
                .containsExactly("hello", "world", "foo", "and", "bar", "s", "café", "2");
        assertThat(EventSearchStore.terms("  ")).isEmpty();
        assertThat(EventSearchStore.terms("a b c d e f g h i j k l m n o p q r s"))
                .hasSize(EventSearchStore.MAX_TERMS);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void redactedAndPurgedEventsLeaveTheIndex(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);
            EventId kept = r.say(ALICE, "penguin one");
            EventId redacted = r.say(BOB, "penguin two");
            r.redact(redacted);
            assertThat(ids(r.search.byRank(query("penguin"), 0, 10))).containsExactly(kept);

            new RoomPurger(db, 2).purgeRoom(ROOM);
            assertThat(r.search.count(query("penguin"))).isZero();
            int left = db.read(tx -> tx.dsl().fetchCount(org.jooq.impl.DSL.table("event_search")));
            assertThat(left).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theMigrationIndexesEventsStoredBeforeIt(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);
            EventId message = r.say(ALICE, "walrus song");
            EventId redacted = r.say(ALICE, "walrus secret");
            r.redact(redacted);
            EventId topic = r.state("m.room.topic", "topic", "walrus facts");
            r.persist(TestEvents.event(ROOM, ALICE, "m.room.message")
                    .content("body", "walrus")
                    .content("msgtype", "m.notice")
                    .prev(List.of(r.last))
                    .depth(++r.depth)
                    .build());
            EventId noBody = r.persist(TestEvents.event(ROOM, ALICE, "m.room.message")
                    .content("msgtype", "m.text")
                    .prev(List.of(r.last))
                    .depth(++r.depth)
                    .build());
            r.say(BOB, "walrus\u0000nul");
            // back to the schema before the index: no search tables; then its migration runs
            db.update(tx -> {
                if (kind == Kind.SQLITE) {
                    tx.dsl().execute("drop table event_search_fts");
                }
                tx.dsl().execute("drop table event_search");
            });
            Migration search = new Migrator(db)
                    .migrations().stream()
                            .filter(m -> m.name().endsWith("_search"))
                            .findFirst()
                            .orElseThrow();
            db.update(tx -> tx.dsl().connection(c -> {
                for (String statement : statements(search.sql())) {
                    try (Statement s = c.createStatement()) {
                        s.execute(statement);
                    }
                }
            }));

            List<EventId> found = ids(r.search.byRecent(query("walrus"), EventSearchStore.RecentCursor.NEWEST, 10));
            assertThat(found)
                    .as("with the NUL message on SQLite only: PostgreSQL's jsonb cannot read it")
                    .hasSize(kind == Kind.SQLITE ? 4 : 3)
                    .contains(message, topic)
                    .doesNotContain(redacted, noBody);
            EventId after = r.say(BOB, "walrus again");
            assertThat(ids(r.search.byRecent(query("walrus"), EventSearchStore.RecentCursor.NEWEST, 10))
                            .getFirst())
                    .as("the persister goes on indexing over the migrated index")
                    .isEqualTo(after);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void rebuildingIndexesWhatIsStoredOnceMore(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Room r = new Room(db);
            EventId message = r.say(ALICE, "otter");
            EventId redacted = r.say(BOB, "otter gone");
            r.redact(redacted);
            EventId name = r.state("m.room.name", "name", "Otter club");
            EventId nul = r.say(ALICE, "otter\u0000nul");
            assertThat(ids(r.search.byRank(query("otter nul"), 0, 10)))
                    .as("a NUL character separates words")
                    .containsExactly(nul);
            db.update(tx -> r.search.forget(tx, List.of(message.value(), nul.value())));
            assertThat(ids(r.search.byRank(query("otter"), 0, 10))).containsExactly(name);

            // PostgreSQL's jsonb cannot read an escaped NUL: that event stays out of a rebuilt index
            int expected = kind == Kind.SQLITE ? 3 : 2;
            assertThat(r.search.rebuild()).isEqualTo(expected);
            assertThat(ids(r.search.byRank(query("otter"), 0, 10)))
                    .contains(message, name)
                    .hasSize(expected);
            assertThat(r.search.rebuild()).as("again, from scratch").isEqualTo(expected);
        }
    }

    @Test
    void aDatabasePortedToPostgresqlIsSearchable() {
        try (Database sqlite = TestDatabases.fresh(Kind.SQLITE);
                Database postgres = TestDatabases.fresh(Kind.POSTGRES)) {
            Room r = new Room(sqlite);
            EventId message = r.say(ALICE, "heron flight");
            new SqliteToPostgres(sqlite, postgres, PortListener.SILENT, 50).run();

            EventSearchStore ported = new EventSearchStore(postgres);
            assertThat(ids(ported.byRank(query("heron"), 0, 10))).containsExactly(message);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSearchStartsFromTheTextIndex(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            EventSearchStore store = new EventSearchStore(db);
            // enough rows that PostgreSQL's planner prefers an index to a scan, as it does on real data
            db.update(tx -> {
                for (int i = 0; i < 3000; i++) {
                    Pdu event = TestEvents.message(
                            ROOM, i % 2 == 0 ? ALICE : BOB, "word" + i + " common filler", List.of(), 10);
                    store.record(tx, event, i + 1);
                }
            });
            if (kind == Kind.POSTGRES) {
                db.update(tx -> tx.dsl().execute("analyze event_search"));
            }
            String plan = String.join("\n", store.plan(query("word42")));
            if (kind == Kind.SQLITE) {
                assertThat(plan).contains("VIRTUAL TABLE INDEX").doesNotContain("SCAN s");
            } else {
                assertThat(plan).contains("event_search_vector").doesNotContain("Seq Scan");
            }
            assertThat(store.byRank(query("word42"), 0, 100)).hasSize(11);
            List<Hit> all = new ArrayList<>(store.byRecent(query("common"), EventSearchStore.RecentCursor.NEWEST, 5));
            assertThat(all).extracting(Hit::streamOrdering).containsExactly(3000L, 2999L, 2998L, 2997L, 2996L);
        }
    }
}
