package dev.myelin.storage.federation;

import static dev.myelin.storage.schema.Tables.FEDERATION_OUTBOX;

import dev.myelin.core.id.ServerName;
import dev.myelin.storage.Database;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outbound federation queue of each destination (table {@code federation_outbox}): what was
 * queued and not yet accepted by the destination, so that a restart sends it.
 */
public final class OutboxStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public OutboxStore(Database db) {
        this.db = db;
    }

    /** Adds an entry at the end of {@code destination}'s queue. */
    public void append(ServerName destination, OutboxEntry entry) {
        db.write(tx -> tx.dsl()
                .insertInto(FEDERATION_OUTBOX)
                .set(FEDERATION_OUTBOX.DESTINATION, destination.toString())
                .set(FEDERATION_OUTBOX.POSITION, entry.position())
                .set(FEDERATION_OUTBOX.KIND, entry.kind().name().toLowerCase(Locale.ROOT))
                .set(FEDERATION_OUTBOX.ROOM_ID, entry.roomId().orElse(null))
                .set(FEDERATION_OUTBOX.JSON, entry.json())
                .execute());
    }

    /** Every entry of {@code destination}'s queue, in order. */
    public List<OutboxEntry> entries(ServerName destination) {
        return db.read(tx -> tx.dsl()
                .selectFrom(FEDERATION_OUTBOX)
                .where(FEDERATION_OUTBOX.DESTINATION.eq(destination.toString()))
                .orderBy(FEDERATION_OUTBOX.POSITION)
                .fetch(r -> new OutboxEntry(
                        r.getPosition(),
                        OutboxEntry.Kind.valueOf(r.getKind().toUpperCase(Locale.ROOT)),
                        Optional.ofNullable(r.getRoomId()),
                        r.getJson())));
    }

    /** Removes the entries at {@code positions} from {@code destination}'s queue. */
    public void remove(ServerName destination, Collection<Long> positions) {
        if (positions.isEmpty()) {
            return;
        }
        db.write(tx -> tx.dsl()
                .deleteFrom(FEDERATION_OUTBOX)
                .where(
                        FEDERATION_OUTBOX.DESTINATION.eq(destination.toString()),
                        FEDERATION_OUTBOX.POSITION.in(positions))
                .execute());
    }

    /** The destinations with something queued. */
    public List<ServerName> destinations() {
        return db.read(tx -> tx.dsl()
                .selectDistinct(FEDERATION_OUTBOX.DESTINATION)
                .from(FEDERATION_OUTBOX)
                .orderBy(FEDERATION_OUTBOX.DESTINATION)
                .fetch(r -> ServerName.parse(r.value1())));
    }
}
