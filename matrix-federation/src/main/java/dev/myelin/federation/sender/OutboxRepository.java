package dev.myelin.federation.sender;

import dev.myelin.core.id.ServerName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the queue of each destination is kept, so that what was not delivered survives a restart.
 * The homeserver keeps it in its database; {@link #inMemory()} is for tests and embedders that do
 * not need that.
 */
public interface OutboxRepository {

    /** Adds a unit at the end of {@code destination}'s queue. */
    void append(ServerName destination, QueuedUnit unit);

    /** Every unit queued for {@code destination}, by position. */
    List<QueuedUnit> entries(ServerName destination);

    /** Removes the units at {@code positions} from {@code destination}'s queue. */
    void remove(ServerName destination, Collection<Long> positions);

    /** The destinations with units queued. */
    List<ServerName> destinations();

    /** A repository in memory: the queue lasts as long as the object. */
    static OutboxRepository inMemory() {
        Map<ServerName, List<QueuedUnit>> queues = new ConcurrentHashMap<>();
        return new OutboxRepository() {
            @Override
            public void append(ServerName destination, QueuedUnit unit) {
                queues.compute(destination, (d, list) -> {
                    List<QueuedUnit> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
                    next.add(unit);
                    return next;
                });
            }

            @Override
            public List<QueuedUnit> entries(ServerName destination) {
                return List.copyOf(queues.getOrDefault(destination, List.of()));
            }

            @Override
            public void remove(ServerName destination, Collection<Long> positions) {
                queues.computeIfPresent(destination, (d, list) -> {
                    List<QueuedUnit> next = new ArrayList<>(list);
                    next.removeIf(u -> positions.contains(u.position()));
                    return next.isEmpty() ? null : next;
                });
            }

            @Override
            public List<ServerName> destinations() {
                return List.copyOf(queues.keySet());
            }
        };
    }
}
