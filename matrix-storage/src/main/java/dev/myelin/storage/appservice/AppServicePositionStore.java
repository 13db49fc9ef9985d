package dev.myelin.storage.appservice;

import static dev.myelin.storage.schema.Tables.APPSERVICE_POSITIONS;

import dev.myelin.storage.Database;
import java.util.Optional;

/**
 * How far each application service has been sent the events stream (table {@code
 * appservice_positions}): the stream ordering of the last event its last acknowledged transaction
 * covered, and that transaction's id. Written only after the service acknowledged, so that a
 * restart resends at most the transaction that was in flight.
 */
public final class AppServicePositionStore {
    private final Database db;

    public AppServicePositionStore(Database db) {
        this.db = db;
    }

    /**
     * Where a service stands.
     *
     * @param streamOrdering the events it was sent are those at or before this position
     * @param lastTxnId the id of the last transaction it acknowledged (0 before the first)
     */
    public record Position(long streamOrdering, long lastTxnId) {}

    /** The position of {@code appService}, empty before it was ever recorded. */
    public Optional<Position> get(String appService) {
        return db.read(tx -> tx.dsl()
                .select(APPSERVICE_POSITIONS.STREAM_ORDERING, APPSERVICE_POSITIONS.LAST_TXN_ID)
                .from(APPSERVICE_POSITIONS)
                .where(APPSERVICE_POSITIONS.APPSERVICE_ID.eq(appService))
                .fetchOptional(r -> new Position(r.value1(), r.value2())));
    }

    /** Records {@code position} for {@code appService}, replacing what was there. */
    public void set(String appService, Position position) {
        db.write(tx -> tx.dsl()
                .insertInto(APPSERVICE_POSITIONS)
                .set(APPSERVICE_POSITIONS.APPSERVICE_ID, appService)
                .set(APPSERVICE_POSITIONS.STREAM_ORDERING, position.streamOrdering())
                .set(APPSERVICE_POSITIONS.LAST_TXN_ID, position.lastTxnId())
                .onConflict(APPSERVICE_POSITIONS.APPSERVICE_ID)
                .doUpdate()
                .set(APPSERVICE_POSITIONS.STREAM_ORDERING, position.streamOrdering())
                .set(APPSERVICE_POSITIONS.LAST_TXN_ID, position.lastTxnId())
                .execute());
    }
}
