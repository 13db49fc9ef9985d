package dev.myelin.federation.sender;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How the transactions this process sent ended, counted since it started (for metrics). */
public final class TransactionOutcomes {
    /** How one attempt to send a transaction ended. */
    public enum Outcome {
        /** The destination accepted it (2xx). */
        SENT,
        /** It did not reach the destination (connection, TLS, timeout): it is sent again later. */
        FAILED,
        /** The destination answered 401, 429 or 5xx: it is sent again later. */
        RETRY,
        /** The destination refused it for good (another 4xx): it is dropped. */
        REFUSED,
        /** Federation with the destination is no longer allowed: it is dropped unsent. */
        DENIED;

        /** The label value: the name in lower case. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);

    TransactionOutcomes() {
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new LongAdder());
        }
    }

    void record(Outcome outcome) {
        counts.get(outcome).increment();
    }

    /** How many attempts ended with {@code outcome}. */
    public long count(Outcome outcome) {
        return counts.get(outcome).sum();
    }
}
