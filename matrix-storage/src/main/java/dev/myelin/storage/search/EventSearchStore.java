package dev.myelin.storage.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Record;

/**
 * The full-text index of events: {@code content.body} of {@code m.room.message}, {@code content.name}
 * of {@code m.room.name} and {@code content.topic} of {@code m.room.topic}. The event persister writes
 * it in the transaction that stores the event; redactions and purges remove rows. On SQLite the text
 * is in an FTS5 table ranked by {@code bm25}; on PostgreSQL it is a {@code tsvector} behind a GIN index
 * ranked by {@code ts_rank}. Either way a search starts from the text index, never from a scan of
 * events.
 *
 * <p>Search text is reduced to {@link #terms words} (runs of letters and digits) before it reaches
 * the database, each word becoming a prefix query, all of them required: what a user types (quotes,
 * {@code *}, {@code -}, {@code AND}, {@code NEAR(}...) is never read as query syntax.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-side-search">Server Side Search</a>
 */
public final class EventSearchStore {
    /** The searchable key of each indexed event type. */
    public static final Map<String, String> KEYS = Map.of(
            "m.room.message", "content.body",
            "m.room.name", "content.name",
            "m.room.topic", "content.topic");

    /** The most words of a search term used; the rest are ignored. */
    public static final int MAX_TERMS = 16;

    private static final int MAX_TERM_LENGTH = 64;

    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public EventSearchStore(Database db) {
        this.db = db;
    }

    /**
     * What to search for.
     *
     * @param terms the words, from {@link #terms}; every one must match (as a prefix)
     * @param rooms the rooms searched
     * @param keys the keys searched ({@code content.body}, {@code content.name}, {@code content.topic})
     * @param senders the senders allowed; all when empty
     * @param notSenders the senders left out
     */
    public record Query(
            List<String> terms,
            Collection<RoomId> rooms,
            Collection<String> keys,
            Optional<Collection<String>> senders,
            Collection<String> notSenders) {
        /** Whether nothing can match: no words, no rooms or no keys. */
        public boolean matchesNothing() {
            return terms.isEmpty()
                    || rooms.isEmpty()
                    || keys.isEmpty()
                    || senders.filter(Collection::isEmpty).isPresent();
        }
    }

    /**
     * One matching event.
     *
     * @param rank how well it matches, higher is better (only meaningful among hits of one search)
     */
    public record Hit(
            EventId eventId, RoomId roomId, String sender, long streamOrdering, long originServerTs, double rank) {
        /** The cursor just at this hit: the next batch of newest-first hits starts after it. */
        public RecentCursor cursor() {
            return new RecentCursor(originServerTs, streamOrdering);
        }
    }

    /**
     * The words of {@code text} that a search looks for: lower-cased runs of letters, digits and
     * combining marks, at most {@value #MAX_TERMS} of them, each cut to 64 characters.
     */
    public static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK) {
                word.appendCodePoint(Character.toLowerCase(cp));
            } else if (!word.isEmpty()) {
                out.add(cut(word));
                word.setLength(0);
            }
        });
        if (!word.isEmpty()) {
            out.add(cut(word));
        }
        return out.stream().distinct().limit(MAX_TERMS).toList();
    }

    private static String cut(StringBuilder word) {
        return word.length() <= MAX_TERM_LENGTH
                ? word.toString()
                : word.substring(0, word.offsetByCodePoints(0, MAX_TERM_LENGTH));
    }

    /** The text of {@code event} that is indexed, if it is an event of an indexed type with a string there. */
    public static Optional<String> searchableText(Pdu event) {
        String key = KEYS.get(event.type());
        if (key == null) {
            return Optional.empty();
        }
        JsonNode value = event.content().path(key.substring("content.".length()));
        return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** Indexes {@code event} if it has searchable text; called inside the persisting transaction. */
    public void record(Transaction tx, Pdu event, long streamOrdering) {
        // PostgreSQL text holds no NUL character: as a separator it changes no word
        Optional<String> text = searchableText(event).map(t -> t.replace('\u0000', ' '));
        if (text.isEmpty()) {
            return;
        }
        String id = event.eventId().value();
        Object[] row = {
            id,
            event.roomId().value(),
            event.sender().toString(),
            event.type(),
            KEYS.get(event.type()),
            streamOrdering,
            event.originServerTs()
        };
        if (db.isSqlite()) {
            int inserted = tx.dsl()
                    .execute(
                            "insert into event_search (event_id, room_id, sender, event_type, search_key,"
                                    + " stream_ordering, origin_server_ts) values (?, ?, ?, ?, ?, ?, ?)"
                                    + " on conflict do nothing",
                            row);
            if (inserted == 1) {
                tx.dsl()
                        .execute(
                                "insert into event_search_fts (rowid, value)"
                                        + " select id, ? from event_search where event_id = ?",
                                text.get(),
                                id);
            }
        } else {
            List<Object> binds = new ArrayList<>(List.of(row));
            binds.add(text.get());
            tx.dsl()
                    .execute(
                            "insert into event_search (event_id, room_id, sender, event_type, search_key,"
                                    + " stream_ordering, origin_server_ts, vector)"
                                    + " values (?, ?, ?, ?, ?, ?, ?, to_tsvector('simple', ?))"
                                    + " on conflict do nothing",
                            binds.toArray());
        }
    }

    /** Removes the events of {@code eventIds} from the index (redacted, purged); inside a write transaction. */
    public void forget(Transaction tx, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return;
        }
        String in = placeholders(eventIds.size());
        Object[] ids = eventIds.toArray();
        if (db.isSqlite()) {
            tx.dsl()
                    .execute(
                            "delete from event_search_fts where rowid in"
                                    + " (select id from event_search where event_id in (" + in + "))",
                            ids);
        }
        tx.dsl().execute("delete from event_search where event_id in (" + in + ")", ids);
    }

    /**
     * Empties the index and indexes every event stored, as migration 0030 does: for databases
     * whose events were written around the persister (ported or imported ones). Returns how many
     * events are indexed.
     */
    public int rebuild() {
        return db.write(tx -> {
            if (db.isSqlite()) {
                tx.dsl().execute("delete from event_search_fts");
                tx.dsl().execute("delete from event_search");
                int n = tx.dsl()
                        .execute("insert into event_search (event_id, room_id, sender, event_type, search_key,"
                                + " stream_ordering, origin_server_ts)"
                                + " select event_id, room_id, sender, event_type, " + KEY_OF_TYPE
                                + ", stream_ordering, origin_server_ts from events where " + SEARCHABLE
                                + " and json_type(json, '$.' || " + KEY_OF_TYPE + ") = 'text'");
                tx.dsl()
                        .execute("insert into event_search_fts (rowid, value) select s.id,"
                                + " json_extract(e.json, '$.' || s.search_key)"
                                + " from event_search s join events e on e.event_id = s.event_id");
                return n;
            }
            tx.dsl().execute("delete from event_search");
            return tx.dsl()
                    .execute("insert into event_search (event_id, room_id, sender, event_type, search_key,"
                            + " stream_ordering, origin_server_ts, vector)"
                            + " select event_id, room_id, sender, event_type, search_key, stream_ordering,"
                            + " origin_server_ts, to_tsvector('simple', text_value #>> '{}') from ("
                            + " select event_id, room_id, sender, event_type, stream_ordering, origin_server_ts,"
                            + " " + KEY_OF_TYPE + " as search_key,"
                            + " json::jsonb -> 'content' -> substr(" + KEY_OF_TYPE + ", 9) as text_value"
                            + " from events where " + SEARCHABLE
                            // jsonb refuses an escaped NUL: such an event is left unindexed
                            + " and strpos(json, '\\u0000') = 0) searchable"
                            + " where jsonb_typeof(text_value) = 'string'");
        });
    }

    private static final String KEY_OF_TYPE = "case event_type when 'm.room.message' then 'content.body'"
            + " when 'm.room.name' then 'content.name' else 'content.topic' end";
    private static final String SEARCHABLE = "event_type in ('m.room.message', 'm.room.name', 'm.room.topic')"
            + " and not outlier and rejection_reason is null and redacted_by is null";

    /** Up to {@code limit} hits, best first, skipping the first {@code offset}. */
    public List<Hit> byRank(Query query, int offset, int limit) {
        if (query.matchesNothing()) {
            return List.of();
        }
        return search(query, "", List.of(), "rank desc, s.stream_ordering desc", limit, offset);
    }

    /**
     * Up to {@code limit} hits, newest first (by {@code origin_server_ts}, then stream ordering, as
     * Synapse orders them: backfilled history has stream orderings out of time order), of those
     * strictly before {@code before}.
     */
    public List<Hit> byRecent(Query query, RecentCursor before, int limit) {
        if (query.matchesNothing()) {
            return List.of();
        }
        return search(
                query,
                " and (s.origin_server_ts < ? or (s.origin_server_ts = ? and s.stream_ordering < ?))",
                List.of(before.originServerTs(), before.originServerTs(), before.streamOrdering()),
                "s.origin_server_ts desc, s.stream_ordering desc",
                limit,
                0);
    }

    /** A place in the newest-first order of hits; {@link #NEWEST} is before every hit. */
    public record RecentCursor(long originServerTs, long streamOrdering) {
        /** Before every hit. */
        public static final RecentCursor NEWEST = new RecentCursor(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** How many events match, whoever may see them. */
    public long count(Query query) {
        if (query.matchesNothing()) {
            return 0;
        }
        List<Object> binds = new ArrayList<>();
        String sql = "select count(*) " + from(query, binds);
        return db.read(tx -> tx.dsl().fetchOne(sql, binds.toArray()).get(0, Long.class));
    }

    /**
     * The query plan of a search (SQLite's {@code explain query plan}, PostgreSQL's {@code explain}),
     * one line per step, so tests can check it starts from the text index.
     */
    public List<String> plan(Query query) {
        List<Object> binds = new ArrayList<>();
        String sql = select(query, binds) + " order by rank desc limit 10";
        String explain = db.isSqlite() ? "explain query plan " : "explain ";
        return db.read(tx -> tx.dsl()
                .fetch(explain + sql, binds.toArray())
                .map(r -> db.isSqlite() ? r.get("detail", String.class) : r.get(0, String.class)));
    }

    private List<Hit> search(Query query, String bound, List<Object> boundBinds, String order, int limit, int offset) {
        List<Object> binds = new ArrayList<>();
        String sql = select(query, binds) + bound + " order by " + order + " limit ? offset ?";
        binds.addAll(boundBinds);
        binds.add(limit);
        binds.add(offset);
        return db.read(tx -> tx.dsl().fetch(sql, binds.toArray()).map(EventSearchStore::hit));
    }

    private static Hit hit(Record r) {
        return new Hit(
                EventId.parse(r.get("event_id", String.class)),
                RoomId.parse(r.get("room_id", String.class)),
                r.get("sender", String.class),
                r.get("stream_ordering", Long.class),
                r.get("origin_server_ts", Long.class),
                r.get("rank", Double.class));
    }

    private String select(Query query, List<Object> binds) {
        String rank = db.isSqlite() ? "-bm25(event_search_fts)" : "ts_rank(s.vector, q.query)";
        return "select s.event_id, s.room_id, s.sender, s.stream_ordering, s.origin_server_ts, " + rank + " as rank "
                + from(query, binds);
    }

    /** The from and where clauses of a search, its values appended to {@code binds}. */
    private String from(Query query, List<Object> binds) {
        StringBuilder sql = new StringBuilder();
        if (db.isSqlite()) {
            sql.append("from event_search_fts join event_search s on s.id = event_search_fts.rowid"
                    + " where event_search_fts match ?");
            binds.add(String.join(
                    " ",
                    query.terms().stream()
                            .map(t -> "\"" + t.replace("\"", "\"\"") + "\"*")
                            .toList()));
        } else {
            sql.append("from event_search s, to_tsquery('simple', ?) q(query) where s.vector @@ q.query");
            binds.add(String.join(
                    " & ",
                    query.terms().stream()
                            .map(t -> "'" + t.replace("'", "''").replace("\\", "\\\\") + "':*")
                            .toList()));
        }
        in(sql, "s.room_id", query.rooms().stream().map(RoomId::value).toList(), binds, false);
        in(sql, "s.search_key", query.keys(), binds, false);
        query.senders().ifPresent(senders -> in(sql, "s.sender", senders, binds, false));
        in(sql, "s.sender", query.notSenders(), binds, true);
        return sql.toString();
    }

    private static void in(StringBuilder sql, String column, Collection<?> values, List<Object> binds, boolean not) {
        if (values.isEmpty()) {
            return;
        }
        sql.append(" and ")
                .append(column)
                .append(not ? " not in (" : " in (")
                .append(placeholders(values.size()))
                .append(')');
        binds.addAll(values);
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
