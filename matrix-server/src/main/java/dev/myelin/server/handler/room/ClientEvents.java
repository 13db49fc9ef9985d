package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.Redaction;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.server.Requester;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.EventTxnIdStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.relation.RelationStore;
import dev.myelin.storage.relation.ThreadSummary;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stored events as served to clients: the one place that turns them into JSON for every read path
 * ({@code /sync}, {@code /messages}, {@code /context}, {@code /event}, {@code /state},
 * {@code /members}), so each gets the same {@code unsigned} keys:
 *
 * <ul>
 *   <li>{@code age}: milliseconds from {@code origin_server_ts} to now on the injected clock;
 *   <li>{@code transaction_id}: only to the device that sent the event, with the id it sent it
 *       under (recorded by {@link TransactionIds}), so it can replace its local echo;
 *   <li>{@code replaces_state}, {@code prev_content}, {@code prev_sender} on state events that
 *       replaced an earlier event of their key, read from the state before the event (the state
 *       after its first prev event, as {@link RoomStateReader#stateBefore} has it); a redacted
 *       predecessor gives its redacted content;
 *   <li>{@code redacted_because}, {@code redacted_by}: a redacted event is served in its redacted
 *       form with the redaction and its id here, as Synapse serves it;
 *   <li>{@code m.relations.m.thread}: a thread root carries its thread's bundled summary
 *       ({@code latest_event}, {@code count}, {@code current_user_participated}), read from the
 *       relation index in one query per batch.
 * </ul>
 *
 * Keys a remote server put under these names in the event's own {@code unsigned} are replaced.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-event-format">Room event format</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#redactions">Redactions</a>
 */
public final class ClientEvents {
    /** {@code unsigned} keys this server computes; copies from the event itself are dropped. */
    private static final Set<String> COMPUTED_UNSIGNED = Set.of(
            "age",
            "age_ts",
            "transaction_id",
            "replaces_state",
            "prev_content",
            "prev_sender",
            "redacted_because",
            "redacted_by",
            "m.relations");

    /** Who reads the events: the transaction id is only theirs when they sent it from this device. */
    public record Viewer(UserId user, Optional<DeviceId> device) {
        public static Viewer of(Requester requester) {
            return new Viewer(requester.userId(), requester.deviceId());
        }
    }

    private final EventStore eventStore;
    private final RelationStore relations;
    private final EventTxnIdStore eventTxnIds;
    private final StateStore stateStore;
    private final Clock clock;

    public ClientEvents(
            EventStore eventStore,
            RelationStore relations,
            EventTxnIdStore eventTxnIds,
            StateStore stateStore,
            Clock clock) {
        this.eventStore = eventStore;
        this.relations = relations;
        this.eventTxnIds = eventTxnIds;
        this.stateStore = stateStore;
        this.clock = clock;
    }

    public ObjectNode format(StoredEvent event, Viewer viewer) {
        return render(List.of(event), viewer, false).getFirst();
    }

    /** The events in order, as a JSON array; what they need is read in one batch per kind. */
    public ArrayNode formatAll(Collection<StoredEvent> events, Viewer viewer) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        render(events, viewer, false).forEach(out::add);
        return out;
    }

    /**
     * The events in order, each in the client format, or in the federation format (the event as
     * servers exchange it) when {@code federationFormat}; both with the computed {@code unsigned}.
     * The federation format keeps its {@code event_id} even in room versions whose ids are hashes:
     * a client cannot compute it, and needs it to refer to the event.
     */
    public List<ObjectNode> render(Collection<StoredEvent> events, Viewer viewer, boolean federationFormat) {
        return render(events, viewer, federationFormat, true);
    }

    private List<ObjectNode> render(
            Collection<StoredEvent> events, Viewer viewer, boolean federationFormat, boolean bundle) {
        if (events.isEmpty()) {
            return List.of();
        }
        Map<EventId, ObjectNode> threads = bundle ? threadSummaries(events, viewer) : Map.of();
        Map<EventId, StoredEvent> redactions = redactions(events);
        Map<EventId, EventTxnIdStore.SentWith> txnIds = transactionIds(events, viewer);
        Map<EventId, EventId> replaced = replacedState(events);
        Map<EventId, StoredEvent> predecessors =
                replaced.isEmpty() ? Map.of() : eventStore.getAll(new HashSet<>(replaced.values()));
        long now = clock.nowMillis();
        List<ObjectNode> out = new ArrayList<>(events.size());
        for (StoredEvent event : events) {
            StoredEvent redaction = event.redactedBy().map(redactions::get).orElse(null);
            Pdu pdu = redaction == null ? event.pdu() : Redaction.redact(event.pdu());
            ObjectNode json = federationFormat ? ClientEvent.toFederationFormat(pdu) : ClientEvent.toClientFormat(pdu);
            if (federationFormat && !json.has("event_id")) {
                json.put("event_id", event.eventId().value());
            }
            ObjectNode unsigned = json.get("unsigned") instanceof ObjectNode u ? u : json.putObject("unsigned");
            unsigned.remove(COMPUTED_UNSIGNED);
            unsigned.put("age", now - event.pdu().originServerTs());
            EventTxnIdStore.SentWith sent = txnIds.get(event.eventId());
            if (sent != null
                    && sent.user().equals(viewer.user())
                    && viewer.device().filter(sent.device()::equals).isPresent()) {
                unsigned.put("transaction_id", sent.txnId());
            }
            StoredEvent previous = Optional.ofNullable(replaced.get(event.eventId()))
                    .map(predecessors::get)
                    .orElse(null);
            if (previous != null) {
                Pdu prev = previous.redactedBy().isPresent() ? Redaction.redact(previous.pdu()) : previous.pdu();
                unsigned.put("replaces_state", previous.eventId().value());
                unsigned.set("prev_content", prev.content().deepCopy());
                unsigned.put("prev_sender", prev.sender().toString());
            }
            if (redaction != null) {
                unsigned.set("redacted_because", ClientEvent.toClientFormat(redaction.pdu()));
                // the id alone as well, as Synapse serves it and clients and bridges read it
                unsigned.put("redacted_by", redaction.eventId().value());
            } else if (threads.containsKey(event.eventId())) {
                unsigned.putObject("m.relations").set("m.thread", threads.get(event.eventId()));
            }
            out.add(json);
        }
        return out;
    }

    /** The bundled {@code m.thread} aggregation of each of the events that is a thread root. */
    private Map<EventId, ObjectNode> threadSummaries(Collection<StoredEvent> events, Viewer viewer) {
        List<EventId> candidates = events.stream()
                .filter(e -> e.redactedBy().isEmpty() && !e.outlier())
                .map(StoredEvent::eventId)
                .toList();
        Map<EventId, ThreadSummary> summaries = relations.threadSummaries(candidates);
        if (summaries.isEmpty()) {
            return Map.of();
        }
        Map<EventId, StoredEvent> latest = eventStore.getAll(
                summaries.values().stream().map(ThreadSummary::latest).toList());
        Set<EventId> participated = new HashSet<>(relations.threadsWithReplyFrom(summaries.keySet(), viewer.user()));
        events.forEach(e -> {
            if (e.pdu().sender().equals(viewer.user())) {
                participated.add(e.eventId());
            }
        });
        Map<EventId, ObjectNode> out = new HashMap<>();
        summaries.forEach((root, summary) -> {
            StoredEvent last = latest.get(summary.latest());
            if (last == null) {
                return;
            }
            ObjectNode thread = JsonNodeFactory.instance.objectNode();
            thread.set(
                    "latest_event", render(List.of(last), viewer, false, false).getFirst());
            thread.put("count", summary.count());
            thread.put("current_user_participated", participated.contains(root));
            out.put(root, thread);
        });
        return out;
    }

    private Map<EventId, StoredEvent> redactions(Collection<StoredEvent> events) {
        Set<EventId> ids = new HashSet<>();
        events.forEach(e -> e.redactedBy().ifPresent(ids::add));
        return ids.isEmpty() ? Map.of() : eventStore.getAll(ids);
    }

    private Map<EventId, EventTxnIdStore.SentWith> transactionIds(Collection<StoredEvent> events, Viewer viewer) {
        if (viewer.device().isEmpty()) {
            return Map.of();
        }
        List<EventId> own = events.stream()
                .filter(e -> e.pdu().sender().equals(viewer.user()))
                .map(StoredEvent::eventId)
                .toList();
        return own.isEmpty() ? Map.of() : eventTxnIds.sentWith(own);
    }

    /** For each state event that replaced an earlier one of its key: that earlier event's id. */
    private Map<EventId, EventId> replacedState(Collection<StoredEvent> events) {
        // the one key of each event in the state before it (after its first prev event), all in one
        // batch: the members of a large room are each after a different event
        Map<EventId, StateStore.KeyAt> lookups = new HashMap<>();
        for (StoredEvent event : events) {
            Optional<String> stateKey = event.pdu().stateKey();
            List<EventId> prevs = event.pdu().prevEventIds();
            if (stateKey.isEmpty() || prevs.isEmpty() || event.outlier()) {
                continue;
            }
            lookups.put(
                    event.eventId(),
                    new StateStore.KeyAt(
                            prevs.getFirst(), StateKey.of(event.pdu().type(), stateKey.get())));
        }
        Map<StateStore.KeyAt, EventId> before = stateStore.entriesAt(lookups.values());
        Map<EventId, EventId> out = new HashMap<>();
        lookups.forEach((event, lookup) -> {
            EventId previous = before.get(lookup);
            if (previous != null && !previous.equals(event)) {
                out.put(event, previous);
            }
        });
        return out;
    }
}
