package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.sender.OutboxRepository;
import dev.myelin.federation.sender.QueuedUnit;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.storage.federation.OutboxEntry;
import dev.myelin.storage.federation.OutboxStore;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/** The transaction queue's outbox in the database ({@code federation_outbox}), so a restart sends what was left. */
public final class StoredOutbox implements OutboxRepository {
    private final OutboxStore store;

    public StoredOutbox(OutboxStore store) {
        this.store = store;
    }

    @Override
    public void append(ServerName destination, QueuedUnit unit) {
        OutboxEntry.Kind kind = unit.kind() == QueuedUnit.Kind.PDU ? OutboxEntry.Kind.PDU : OutboxEntry.Kind.EDU;
        store.append(
                destination,
                new OutboxEntry(
                        unit.position(),
                        kind,
                        unit.roomId(),
                        new String(EndpointJson.toBytes(unit.json()), StandardCharsets.UTF_8)));
    }

    @Override
    public List<QueuedUnit> entries(ServerName destination) {
        return store.entries(destination).stream()
                .map(e -> new QueuedUnit(
                        e.position(),
                        e.kind() == OutboxEntry.Kind.PDU ? QueuedUnit.Kind.PDU : QueuedUnit.Kind.EDU,
                        e.roomId(),
                        EndpointJson.fromBytes(e.json().getBytes(StandardCharsets.UTF_8), ObjectNode.class)))
                .toList();
    }

    @Override
    public void remove(ServerName destination, Collection<Long> positions) {
        store.remove(destination, positions);
    }

    @Override
    public List<ServerName> destinations() {
        return store.destinations();
    }
}
