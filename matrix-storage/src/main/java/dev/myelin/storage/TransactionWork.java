package dev.myelin.storage;

/** The body of a transaction: runs against {@link Transaction#dsl()} and returns a value. */
@FunctionalInterface
public interface TransactionWork<T> {
    T run(Transaction tx) throws Exception;
}
