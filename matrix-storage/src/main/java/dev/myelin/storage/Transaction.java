package dev.myelin.storage;

import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * One database transaction, handed to the lambda given to {@link Database#write} or {@link Database#read}.
 * Queries go through {@link #dsl()}; work that must only happen once the transaction is durable (advancing
 * a stream position, filling a cache) is registered with {@link #afterCommit}.
 */
public final class Transaction {
    private final DSLContext dsl;
    private final boolean writable;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> afterRollback = new ArrayList<>();

    Transaction(DSLContext dsl, boolean writable) {
        this.dsl = dsl;
        this.writable = writable;
    }

    /** The jOOQ context bound to this transaction's connection, in the database's dialect. */
    public DSLContext dsl() {
        return dsl;
    }

    /** Whether this is a write transaction. */
    public boolean writable() {
        return writable;
    }

    /** Runs {@code action} after this transaction commits; never if it rolls back. */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    /** Runs {@code action} if this attempt rolls back (including before a retry). */
    public void afterRollback(Runnable action) {
        afterRollback.add(action);
    }

    void committed() {
        afterCommit.forEach(Runnable::run);
    }

    void rolledBack() {
        afterRollback.forEach(Runnable::run);
    }
}
