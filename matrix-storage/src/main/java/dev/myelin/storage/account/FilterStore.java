package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.USER_FILTERS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.ConstraintViolationException;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
import java.util.Optional;
import org.jooq.impl.DSL;

/** Sync filters uploaded with {@code POST /user/{userId}/filter}; ids count up from 0 per user. */
public final class FilterStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public FilterStore(Database db) {
        this.db = db;
    }

    /** Stores the filter and returns its id. */
    public long add(UserId user, ObjectNode filter) {
        String json = Json.write(filter);
        for (int attempt = 1; ; attempt++) {
            try {
                return insert(user, json);
            } catch (ConstraintViolationException e) {
                // two concurrent adds for one user on PostgreSQL picked the same id; the loser takes the next
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private long insert(UserId user, String json) {
        return db.write(tx -> {
            Long max = tx.dsl()
                    .select(DSL.max(USER_FILTERS.FILTER_ID))
                    .from(USER_FILTERS)
                    .where(USER_FILTERS.USER_ID.eq(user.toString()))
                    .fetchOne(0, Long.class);
            long id = max == null ? 0 : max + 1;
            tx.dsl()
                    .insertInto(USER_FILTERS)
                    .set(USER_FILTERS.USER_ID, user.toString())
                    .set(USER_FILTERS.FILTER_ID, id)
                    .set(USER_FILTERS.FILTER_JSON, json)
                    .execute();
            return id;
        });
    }

    /**
     * A filter a user stored.
     *
     * @param user the user
     * @param filterId the id {@link #add} returned
     * @return the filter, if it exists
     */
    public Optional<ObjectNode> get(UserId user, long filterId) {
        return db.read(tx -> tx.dsl()
                        .select(USER_FILTERS.FILTER_JSON)
                        .from(USER_FILTERS)
                        .where(USER_FILTERS.USER_ID.eq(user.toString()), USER_FILTERS.FILTER_ID.eq(filterId))
                        .fetchOptional(USER_FILTERS.FILTER_JSON))
                .map(Json::readObject);
    }
}
