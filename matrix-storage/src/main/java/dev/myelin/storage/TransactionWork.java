package dev.myelin.storage;

/** The body of a transaction: runs against {@link Transaction#dsl()} and returns a value. */
@FunctionalInterface
public interface TransactionWork<T> {
    /**
     * Does the work.
     *
     * @param tx the transaction to work in
     * @return the result handed to the caller once committed
     * @throws Exception to roll the transaction back
     */
    T run(Transaction tx) throws Exception;
}
