package dev.myelin.core.pdu;

import dev.myelin.core.event.Pdu;
import java.util.Objects;

/**
 * What the checks on receipt of a PDU decided about an event.
 *
 * <ul>
 *   <li>{@link Accepted}: the event passed; {@link Accepted#event()} is the one to keep, which is
 *       the redacted form when the content hash did not match.
 *   <li>{@link Dropped}: not a valid or not a properly signed event (steps 1 and 2); it is
 *       discarded as if never received.
 *   <li>{@link Rejected}: the authorization rules failed against its auth events or the state
 *       before it (steps 4 and 5); it is kept as rejected and nothing may build on it.
 *   <li>{@link SoftFailed}: allowed by its own history but not by the current state (step 6);
 *       it stays in the DAG but does not change the current state and is not sent to clients.
 * </ul>
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#rejection">Rejection</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#soft-failure">Soft failure</a>
 */
public sealed interface PduVerdict {

    /**
     * The event passed every check made.
     *
     * @param event the event to use: the received one, or its redacted form
     * @param redacted true when the content hash did not match and {@code event} is the redacted form
     */
    record Accepted(Pdu event, boolean redacted) implements PduVerdict {
        /** Requires the event. */
        public Accepted {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * The event failed step 1 or 2 and is discarded.
     *
     * @param step the step that failed
     * @param reason what was wrong
     */
    record Dropped(PduCheckStep step, String reason) implements PduVerdict {
        /** Requires both parts. */
        public Dropped {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The event failed the authorization rules at step 4 or 5.
     *
     * @param event the event as checked (possibly redacted), which the caller stores as rejected
     * @param step the step that failed
     * @param reason the rule that failed, as the authorization rules name it
     */
    record Rejected(Pdu event, PduCheckStep step, String reason) implements PduVerdict {
        /** Requires every part. */
        public Rejected {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The event passed steps 1 to 5 but not the current state (step 6).
     *
     * @param event the event as checked (possibly redacted)
     * @param reason the rule that failed against the current state
     */
    record SoftFailed(Pdu event, String reason) implements PduVerdict {
        /** Requires both parts. */
        public SoftFailed {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
