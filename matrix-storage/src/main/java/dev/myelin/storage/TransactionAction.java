package dev.myelin.storage;

/** The body of a transaction that returns nothing. */
@FunctionalInterface
public interface TransactionAction {
    /**
     * Does the work.
     *
     * @param tx the transaction to work in
     * @throws Exception to roll the transaction back
     */
    void run(Transaction tx) throws Exception;
}
