package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A transaction-shaped answer carrying PDUs: what {@code GET /event/{eventId}} (one PDU) and
 * {@code GET /backfill/{roomId}} answer.
 *
 * @param origin the server answering
 * @param originServerTs when it answered, in milliseconds since the epoch
 * @param pdus the events, in the format of their room version
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1eventeventid">GET /event</a>
 */
public record PduTransaction(String origin, long originServerTs, List<ObjectNode> pdus) {
    public PduTransaction {
        pdus = List.copyOf(pdus);
    }
}
