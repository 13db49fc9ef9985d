package dev.myelin.storage;

/** The body of a transaction that returns nothing. */
@FunctionalInterface
public interface TransactionAction {
    void run(Transaction tx) throws Exception;
}
