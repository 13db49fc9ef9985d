package dev.myelin.storage.event;

import static dev.myelin.storage.schema.Tables.CLIENT_TRANSACTIONS;

import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import java.time.Duration;
import java.util.Optional;

/**
 * What each {@link ClientTransaction} produced (an event id, or an empty outcome for to-device
 * messages), kept for {@link #LIFETIME}. The row is written inside the database transaction that
 * stores the outcome, by {@link dev.myelin.storage.persist.EventPersister} and {@link dev.myelin.storage.device.ToDeviceStore},
 * so a retry after a restart or a crash finds it exactly when the outcome was stored.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#transaction-identifiers">Transaction identifiers</a>
 */
public final class ClientTransactionStore {
    /**
     * How long a transaction is remembered. The spec sets no bound; a day covers any client's
     * retries (including across a long outage) and matches how long the sending device is served
     * the transaction id of its events.
     */
    public static final Duration LIFETIME = Duration.ofDays(1);

    private final Database db;

    public ClientTransactionStore(Database db) {
        this.db = db;
    }

    /** The outcome of the transaction with {@code key}, if one was stored within its lifetime before {@code nowMs}. */
    public Optional<String> find(String key, long nowMs) {
        return db.read(tx -> find(tx, key, nowMs));
    }

    /** As {@link #find(String, long)}, inside {@code tx}. */
    public Optional<String> find(Transaction tx, String key, long nowMs) {
        return tx.dsl()
                .select(CLIENT_TRANSACTIONS.OUTCOME)
                .from(CLIENT_TRANSACTIONS)
                .where(
                        CLIENT_TRANSACTIONS.TXN_KEY.eq(key),
                        CLIENT_TRANSACTIONS.INSERTED_TS.ge(nowMs - LIFETIME.toMillis()))
                .fetchOptional(CLIENT_TRANSACTIONS.OUTCOME);
    }

    /**
     * Records {@code outcome} for {@code txn} inside {@code tx}. A live row for the same key makes
     * this fail (and so the whole transaction): two processes raced on one transaction, and the
     * loser's retry then finds the winner's outcome.
     */
    public void record(Transaction tx, ClientTransaction txn, String outcome) {
        tx.dsl()
                .deleteFrom(CLIENT_TRANSACTIONS)
                .where(
                        CLIENT_TRANSACTIONS.TXN_KEY.eq(txn.key()),
                        CLIENT_TRANSACTIONS.INSERTED_TS.lt(txn.atMs() - LIFETIME.toMillis()))
                .execute();
        tx.dsl()
                .insertInto(CLIENT_TRANSACTIONS)
                .set(CLIENT_TRANSACTIONS.TXN_KEY, txn.key())
                .set(CLIENT_TRANSACTIONS.USER_ID, txn.user().toString())
                .set(CLIENT_TRANSACTIONS.OUTCOME, outcome)
                .set(CLIENT_TRANSACTIONS.INSERTED_TS, txn.atMs())
                .execute();
    }

    /** Forgets the transactions past their lifetime at {@code nowMs}; returns how many. */
    public int deleteExpired(long nowMs) {
        return db.write(tx -> tx.dsl()
                .deleteFrom(CLIENT_TRANSACTIONS)
                .where(CLIENT_TRANSACTIONS.INSERTED_TS.lt(nowMs - LIFETIME.toMillis()))
                .execute());
    }
}
