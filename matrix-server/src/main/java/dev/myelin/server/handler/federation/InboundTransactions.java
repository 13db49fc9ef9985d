package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.concurrent.Linearizer;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.federation.ReceivedTransactionStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport half of receiving transactions ({@code PUT /_matrix/federation/v1/send/{txnId}}):
 * the shape and size of the transaction, one transaction at a time per origin, and the same
 * answer to a transaction sent again (by origin and transaction id), so none is processed twice.
 *
 * <p>Each EDU goes to the {@link EduHandler} of its {@code edu_type}; types without one are
 * ignored, as the spec asks. PDUs go to {@link InboundPdus}; those of rooms this server is not
 * in are ignored without an entry in the answer, as Synapse ignores PDUs of rooms it does not know.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#transactions">Transactions</a>
 */
public final class InboundTransactions {
    /** The most PDUs a transaction may hold. */
    public static final int MAX_PDUS = 50;
    /** The most EDUs a transaction may hold. */
    public static final int MAX_EDUS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(InboundTransactions.class);

    private final ReceivedTransactionStore received;
    private final InboundPdus pduHandler;
    private final Map<String, EduHandler> eduHandlers;
    private final Clock clock;
    private final Linearizer perOrigin = new Linearizer("federation-transactions");

    /**
     * @param eduHandlers what each EDU type does, by {@code edu_type}
     */
    public InboundTransactions(
            ReceivedTransactionStore received,
            InboundPdus pduHandler,
            Map<String, EduHandler> eduHandlers,
            Clock clock) {
        this.received = received;
        this.pduHandler = pduHandler;
        this.eduHandlers = Map.copyOf(eduHandlers);
        this.clock = clock;
    }

    /** The answer to {@code origin}'s transaction {@code txnId}. */
    public ObjectNode receive(ServerName origin, String txnId, ObjectNode body) {
        JsonNode pdus = body.get("pdus");
        if (pdus == null) {
            throw MatrixException.missingParam("pdus");
        }
        if (!pdus.isArray()) {
            throw MatrixException.badJson("'pdus' must be an array");
        }
        JsonNode edus = body.path("edus");
        if (!edus.isMissingNode() && !edus.isNull() && !edus.isArray()) {
            throw MatrixException.badJson("'edus' must be an array");
        }
        if (pdus.size() > MAX_PDUS || edus.size() > MAX_EDUS) {
            throw MatrixException.badJson(
                    "a transaction holds at most " + MAX_PDUS + " PDUs and " + MAX_EDUS + " EDUs");
        }
        try (Linearizer.Permit permit = perOrigin.acquire(origin)) {
            Optional<String> earlier = received.response(origin, txnId);
            if (earlier.isPresent()) {
                return EndpointJson.fromBytes(earlier.get().getBytes(StandardCharsets.UTF_8), ObjectNode.class);
            }
            ObjectNode pduResults = pdus.isEmpty() ? null : pduHandler.receive(origin, pdus);
            for (JsonNode edu : edus) {
                handle(origin, txnId, edu);
            }
            ObjectNode answer = JsonNodeFactory.instance.objectNode();
            ObjectNode results = answer.putObject("pdus");
            if (pduResults != null) {
                results.setAll(pduResults);
            }
            received.record(
                    origin, txnId, new String(EndpointJson.toBytes(answer), StandardCharsets.UTF_8), clock.nowMillis());
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatrixException(503, ErrorCode.UNKNOWN, "shutting down");
        }
    }

    private void handle(ServerName origin, String txnId, JsonNode edu) {
        String type = edu.path("edu_type").asText("");
        EduHandler handler = eduHandlers.get(type);
        if (handler == null) {
            LOG.debug("transaction {} from {}: EDU of type '{}' ignored", txnId, origin, type);
            return;
        }
        if (!edu.path("content").isObject()) {
            LOG.info("transaction {} from {}: {} EDU without a content object ignored", txnId, origin, type);
            return;
        }
        try {
            handler.handle(origin, edu.get("content"));
        } catch (RuntimeException e) {
            // one EDU that cannot be processed does not fail the transaction and the rest with it
            LOG.warn("transaction {} from {}: {} EDU failed", txnId, origin, type, e);
        }
    }
}
