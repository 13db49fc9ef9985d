package dev.myelin.storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final List<Runnable> publish = new ArrayList<>();
    private final List<Runnable> afterRollback = new ArrayList<>();
    private final Map<Object, TransactionAction> beforeCommit = new LinkedHashMap<>();
    private final Map<Object, Object> locals = new java.util.HashMap<>();

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

    /**
     * Runs {@code action} after this transaction commits and after every {@link #afterCommit} action: for
     * making what it wrote visible to readers (advancing a stream position), which must come after the
     * caches over it have dropped what it changed, or a reader could see the new position with the old
     * value and never look again.
     */
    public void publishAfterCommit(Runnable action) {
        publish.add(action);
    }

    /** Runs {@code action} if this attempt rolls back (including before a retry); newest registration first. */
    public void afterRollback(Runnable action) {
        afterRollback.add(action);
    }

    /**
     * Runs {@code action} inside this transaction just before it commits. Registering again under an equal
     * {@code key} replaces the earlier action, so a write that only its last value matters for (a high-water
     * mark) happens once per transaction however often it was asked for.
     */
    public void beforeCommit(Object key, TransactionAction action) {
        beforeCommit.put(key, action);
    }

    /**
     * A value that lives as long as this transaction attempt, created by {@code init} on first use: for
     * memoising what this transaction itself wrote and other transactions cannot see yet.
     */
    @SuppressWarnings("unchecked")
    public <T> T local(Object key, java.util.function.Supplier<T> init) {
        return (T) locals.computeIfAbsent(key, k -> init.get());
    }

    void runBeforeCommit() throws Exception {
        for (TransactionAction action : beforeCommit.values()) {
            action.run(this);
        }
    }

    void committed() {
        try {
            afterCommit.forEach(Runnable::run);
        } finally {
            // a failing cache action must not leave a position in flight for ever
            publish.forEach(Runnable::run);
        }
    }

    void rolledBack() {
        // newest first, like unwinding a stack: later allocations are undone before earlier ones
        afterRollback.reversed().forEach(Runnable::run);
    }
}
