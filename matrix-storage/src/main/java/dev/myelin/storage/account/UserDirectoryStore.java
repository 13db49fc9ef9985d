package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.CURRENT_STATE_EVENTS;
import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.PROFILES;
import static dev.myelin.storage.schema.Tables.USERS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Searches local accounts for the user directory: active (not deactivated) users whose localpart or
 * display name contains a term, ignoring case. Who may see whom is the caller's decision.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#user-directory">User directory</a>
 */
public final class UserDirectoryStore {
    /** One match: the user with their profile. */
    public record Entry(UserId userId, Optional<String> displayName, Optional<String> avatarUrl) {}

    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public UserDirectoryStore(Database db) {
        this.db = db;
    }

    /**
     * Up to {@code limit} matches in user id order. {@code %} and {@code _} in the term match
     * themselves (they are escaped), so a term is always a plain substring.
     */
    public List<Entry> search(String term, int limit) {
        if (term.indexOf('\0') >= 0) {
            // no localpart or display name holds NUL, and PostgreSQL refuses it in any text value
            return List.of();
        }
        return db.read(tx -> tx.dsl()
                .select(USERS.USER_ID, PROFILES.DISPLAYNAME, PROFILES.AVATAR_URL)
                .from(USERS)
                .leftJoin(PROFILES)
                .on(PROFILES.USER_ID.eq(USERS.USER_ID))
                .where(USERS.DEACTIVATED.isFalse())
                .and(USERS.LOCALPART.containsIgnoreCase(term).or(PROFILES.DISPLAYNAME.containsIgnoreCase(term)))
                .orderBy(USERS.USER_ID)
                .limit(limit)
                .fetch(r -> new Entry(
                        UserId.parse(r.value1()), Optional.ofNullable(r.value2()), Optional.ofNullable(r.value3()))));
    }

    /**
     * Other servers' users joined to {@code rooms} whose localpart or display name in the room
     * contains {@code term}, ignoring case: their profile is what their member event says, as
     * this server knows no other. At most {@code limit}, in user id order.
     *
     * @param self this server: its users are found by {@link #search}
     */
    public List<Entry> searchRoomMembers(Collection<RoomId> rooms, ServerName self, String term, int limit) {
        if (rooms.isEmpty() || term.indexOf('\0') >= 0) {
            return List.of();
        }
        String lower = term.toLowerCase(Locale.ROOT);
        // the member event's JSON holds both the user id and the display name: a cheap first sieve
        List<org.jooq.Record2<String, String>> rows = db.read(tx -> tx.dsl()
                .select(CURRENT_STATE_EVENTS.STATE_KEY, EVENTS.JSON)
                .from(CURRENT_STATE_EVENTS)
                .join(EVENTS)
                .on(EVENTS.EVENT_ID.eq(CURRENT_STATE_EVENTS.EVENT_ID))
                .where(
                        CURRENT_STATE_EVENTS.ROOM_ID.in(
                                rooms.stream().map(RoomId::value).toList()),
                        CURRENT_STATE_EVENTS.EVENT_TYPE.eq("m.room.member"),
                        CURRENT_STATE_EVENTS.MEMBERSHIP.eq("join"),
                        CURRENT_STATE_EVENTS.STATE_KEY.notLike("%:" + self),
                        EVENTS.JSON.containsIgnoreCase(term))
                .orderBy(CURRENT_STATE_EVENTS.STATE_KEY)
                .limit(limit * 4L)
                .fetch());
        Map<String, Entry> found = new LinkedHashMap<>();
        for (var row : rows) {
            if (found.size() >= limit || found.containsKey(row.value1())) {
                continue;
            }
            UserId user;
            try {
                user = UserId.parse(row.value1());
            } catch (IllegalArgumentException e) {
                continue;
            }
            JsonNode content = Json.readObject(row.value2()).path("content");
            Optional<String> name = text(content.path("displayname"));
            boolean matches = user.localpart().toLowerCase(Locale.ROOT).contains(lower)
                    || name.filter(n -> n.toLowerCase(Locale.ROOT).contains(lower))
                            .isPresent();
            if (matches) {
                found.put(row.value1(), new Entry(user, name, text(content.path("avatar_url"))));
            }
        }
        return new ArrayList<>(found.values());
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }
}
