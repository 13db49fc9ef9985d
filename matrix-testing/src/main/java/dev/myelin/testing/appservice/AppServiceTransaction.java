package dev.myelin.testing.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.testing.ClientEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One transaction a {@link TestAppService} received: {@code PUT /_matrix/app/v1/transactions/{txnId}}.
 *
 * @param txnId the transaction id from the path
 * @param json the whole body
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#put_matrixappv1transactionstxnid">PUT /transactions</a>
 */
public record AppServiceTransaction(String txnId, JsonNode json) {

    /** Requires the transaction id and the body. */
    public AppServiceTransaction {
        Objects.requireNonNull(txnId, "txnId");
        Objects.requireNonNull(json, "json");
    }

    /** The room events ({@code events}), in order. */
    public List<ClientEvent> events() {
        return events(json.path("events"));
    }

    /** The ephemeral events (typing, receipts, presence), under {@code ephemeral} or MSC2409's unstable name. */
    public List<ClientEvent> ephemeral() {
        JsonNode stable = json.path("ephemeral");
        return events(stable.isMissingNode() ? json.path("de.sorunome.msc2409.ephemeral") : stable);
    }

    /** The to-device messages, under {@code to_device} or MSC2409's unstable name. */
    public List<ClientEvent> toDevice() {
        JsonNode stable = json.path("to_device");
        return events(stable.isMissingNode() ? json.path("de.sorunome.msc2409.to_device") : stable);
    }

    private static List<ClientEvent> events(JsonNode array) {
        List<ClientEvent> events = new ArrayList<>();
        for (JsonNode event : array) {
            if (event.isObject()) {
                events.add(new ClientEvent(event));
            }
        }
        return List.copyOf(events);
    }
}
