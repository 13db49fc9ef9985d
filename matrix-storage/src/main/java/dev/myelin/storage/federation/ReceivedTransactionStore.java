package dev.myelin.storage.federation;

import static dev.myelin.storage.schema.Tables.RECEIVED_TRANSACTIONS;

import dev.myelin.core.id.ServerName;
import dev.myelin.storage.Database;
import java.util.Optional;

/**
 * The answers given to inbound federation transactions (table {@code received_transactions}), so
 * that a transaction its origin sends again gets the answer it got the first time.
 */
public final class ReceivedTransactionStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public ReceivedTransactionStore(Database db) {
        this.db = db;
    }

    /** The answer given to {@code origin}'s transaction {@code txnId}, if it was received before. */
    public Optional<String> response(ServerName origin, String txnId) {
        return db.read(tx -> tx.dsl()
                .select(RECEIVED_TRANSACTIONS.RESPONSE_JSON)
                .from(RECEIVED_TRANSACTIONS)
                .where(RECEIVED_TRANSACTIONS.ORIGIN.eq(origin.toString()), RECEIVED_TRANSACTIONS.TXN_ID.eq(txnId))
                .fetchOptional(RECEIVED_TRANSACTIONS.RESPONSE_JSON));
    }

    /** Records the answer to {@code origin}'s transaction {@code txnId}; a second record keeps the first. */
    public void record(ServerName origin, String txnId, String responseJson, long receivedTs) {
        db.write(tx -> tx.dsl()
                .insertInto(RECEIVED_TRANSACTIONS)
                .set(RECEIVED_TRANSACTIONS.ORIGIN, origin.toString())
                .set(RECEIVED_TRANSACTIONS.TXN_ID, txnId)
                .set(RECEIVED_TRANSACTIONS.RESPONSE_JSON, responseJson)
                .set(RECEIVED_TRANSACTIONS.RECEIVED_TS, receivedTs)
                .onConflictDoNothing()
                .execute());
    }
}
