package dev.myelin.federation.sender;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;

/**
 * Sends one transaction: {@code PUT /_matrix/federation/v1/send/{txnId}}. Answers the HTTP
 * status; throws when the destination cannot be reached.
 */
@FunctionalInterface
public interface TransactionTransport {

    /**
     * Sends the transaction.
     *
     * @return the HTTP status of the answer
     * @throws RuntimeException when the destination cannot be reached (for example
     *     {@link dev.myelin.federation.client.FederationUnreachableException})
     */
    int send(ServerName destination, String txnId, ObjectNode transaction);

    /** Transactions sent with a {@link FederationClient}. */
    static TransactionTransport over(FederationClient client) {
        return (destination, txnId, transaction) -> client.exchange(
                        destination, EndpointCall.of(FederationEndpoints.SEND_TRANSACTION, transaction, txnId))
                .status();
    }
}
