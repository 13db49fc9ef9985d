package dev.myelin.storage.federation;

import static dev.myelin.storage.schema.Tables.DESTINATIONS;
import static org.jooq.impl.DSL.excluded;

import dev.myelin.core.id.ServerName;
import dev.myelin.storage.Database;
import java.util.Optional;

/**
 * The retry timings of each federation destination (table {@code destinations}), so that backoff
 * survives a restart and is shared by every process that sends to other servers.
 *
 * <p>A write never undoes a newer failure: when two attempts to one destination end at about the
 * same time, the one that saw an older state must not shorten the interval the other one set. So
 * {@link #set} replaces the stored row only when it resets the destination (interval or last
 * attempt zero), lengthens the interval, or records a later attempt; otherwise it is ignored.
 */
public final class DestinationRetryStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public DestinationRetryStore(Database db) {
        this.db = db;
    }

    /**
     * The stored timings of {@code destination}, empty when it was never recorded or is up.
     *
     * @param destination the remote server
     * @return the timings of a destination that is failing
     */
    public Optional<DestinationRetryTimings> get(ServerName destination) {
        return db.read(tx -> tx.dsl()
                        .select(DESTINATIONS.FAILURE_TS, DESTINATIONS.RETRY_LAST_TS, DESTINATIONS.RETRY_INTERVAL)
                        .from(DESTINATIONS)
                        .where(DESTINATIONS.DESTINATION.eq(destination.toString()))
                        .fetchOptional())
                .filter(r -> r.value2() != 0)
                .map(r -> new DestinationRetryTimings(r.value1() == null ? 0 : r.value1(), r.value2(), r.value3()));
    }

    /**
     * Records the timings of {@code destination}: {@link DestinationRetryTimings#UP} after a
     * successful request, the new interval after a failed one. Ignored when the stored row is
     * newer (see the class description).
     *
     * @param destination the remote server
     * @param timings the timings after the attempt
     */
    public void set(ServerName destination, DestinationRetryTimings timings) {
        Long failureTs = timings.failureTs() == 0 ? null : timings.failureTs();
        db.write(tx -> tx.dsl()
                .insertInto(DESTINATIONS)
                .set(DESTINATIONS.DESTINATION, destination.toString())
                .set(DESTINATIONS.FAILURE_TS, failureTs)
                .set(DESTINATIONS.RETRY_LAST_TS, timings.retryLastTs())
                .set(DESTINATIONS.RETRY_INTERVAL, timings.retryIntervalMs())
                .onConflict(DESTINATIONS.DESTINATION)
                .doUpdate()
                .set(DESTINATIONS.FAILURE_TS, excluded(DESTINATIONS.FAILURE_TS))
                .set(DESTINATIONS.RETRY_LAST_TS, excluded(DESTINATIONS.RETRY_LAST_TS))
                .set(DESTINATIONS.RETRY_INTERVAL, excluded(DESTINATIONS.RETRY_INTERVAL))
                .where(excluded(DESTINATIONS.RETRY_INTERVAL)
                        .eq(0L)
                        .or(excluded(DESTINATIONS.RETRY_LAST_TS).eq(0L))
                        .or(DESTINATIONS.RETRY_INTERVAL.lt(excluded(DESTINATIONS.RETRY_INTERVAL)))
                        .or(DESTINATIONS.RETRY_LAST_TS.lt(excluded(DESTINATIONS.RETRY_LAST_TS))))
                .execute());
    }
}
