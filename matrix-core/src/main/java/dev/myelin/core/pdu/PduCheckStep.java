package dev.myelin.core.pdu;

/**
 * The numbered steps of "Checks performed on receipt of a PDU", each with what happens to an
 * event that fails it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu">Checks performed on receipt of a PDU</a>
 */
public enum PduCheckStep {
    /** Step 1: a valid event in the room version's format, within the size limits; else dropped. */
    FORMAT(1),
    /** Step 2: signed by every server that must sign it; else dropped. */
    SIGNATURES(2),
    /** Step 3: the content hash matches; else the event is redacted and checked further. */
    CONTENT_HASH(3),
    /** Step 4: allowed by the authorization rules against its own auth events; else rejected. */
    AUTH_EVENTS(4),
    /** Step 5: allowed against the state before the event; else rejected. */
    STATE_BEFORE(5),
    /** Step 6: allowed against the room's current state; else soft failed. */
    CURRENT_STATE(6);

    private final int number;

    PduCheckStep(int number) {
        this.number = number;
    }

    /** The step's number in the spec's list. */
    public int number() {
        return number;
    }
}
