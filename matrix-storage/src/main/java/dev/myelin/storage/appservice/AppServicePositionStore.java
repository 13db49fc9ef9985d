package dev.myelin.storage.appservice;

import static dev.myelin.storage.schema.Tables.APPSERVICE_POSITIONS;

import dev.myelin.storage.Database;
import java.util.Optional;

/**
 * How far each application service has been sent the events stream (table {@code
 * appservice_positions}): the stream ordering of the last event its last acknowledged transaction
 * covered, that transaction's id, and the transaction in flight. The transaction in flight is
 * stored before it is first sent, so that after a restart it goes again with the same id and the
 * same content: a service that already took it recognises the id and a service that did not gets
 * it whole. The position moves only when the service acknowledged.
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

    /**
     * A transaction stored before it was sent, not acknowledged yet.
     *
     * @param txnId its id ({@code lastTxnId + 1})
     * @param upTo the events position it takes the service to once acknowledged
     * @param body the JSON body, exactly as sent
     */
    public record Pending(long txnId, long upTo, String body) {}

    /** A service's position and the transaction it has in flight, if any. */
    public record State(Position position, Optional<Pending> pending) {}

    /** The state of {@code appService}, empty before it was ever recorded. */
    public Optional<State> get(String appService) {
        return db.read(tx -> tx.dsl()
                .selectFrom(APPSERVICE_POSITIONS)
                .where(APPSERVICE_POSITIONS.APPSERVICE_ID.eq(appService))
                .fetchOptional(r -> new State(
                        new Position(r.getStreamOrdering(), r.getLastTxnId()),
                        r.getPendingTxnId() == null
                                ? Optional.empty()
                                : Optional.of(
                                        new Pending(r.getPendingTxnId(), r.getPendingUpTo(), r.getPendingBody())))));
    }

    /** Records {@code position} for {@code appService} with nothing in flight, replacing what was there. */
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
                .setNull(APPSERVICE_POSITIONS.PENDING_TXN_ID)
                .setNull(APPSERVICE_POSITIONS.PENDING_UP_TO)
                .setNull(APPSERVICE_POSITIONS.PENDING_BODY)
                .execute());
    }

    /** Stores the transaction about to be sent; the position recorded before stays until it is acknowledged. */
    public void setPending(String appService, Pending pending) {
        db.write(tx -> tx.dsl()
                .update(APPSERVICE_POSITIONS)
                .set(APPSERVICE_POSITIONS.PENDING_TXN_ID, pending.txnId())
                .set(APPSERVICE_POSITIONS.PENDING_UP_TO, pending.upTo())
                .set(APPSERVICE_POSITIONS.PENDING_BODY, pending.body())
                .where(APPSERVICE_POSITIONS.APPSERVICE_ID.eq(appService))
                .execute());
    }
}
