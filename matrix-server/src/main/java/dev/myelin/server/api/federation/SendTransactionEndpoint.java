package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.InboundTransactions;

/**
 * {@code PUT /_matrix/federation/v1/send/{txnId}}: a transaction of PDUs and EDUs from another
 * server, signed with X-Matrix. A transaction sent again gets the first answer.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv1sendtxnid">spec</a>
 */
public final class SendTransactionEndpoint extends JsonEndpoint<ObjectNode, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, ObjectNode> SPEC = FederationEndpoints.SEND_TRANSACTION;

    private final InboundTransactions transactions;

    public SendTransactionEndpoint(InboundTransactions transactions) {
        super(SPEC);
        this.transactions = transactions;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
        return transactions.receive(request.requireOrigin(), request.pathParam("txnId"), body);
    }
}
