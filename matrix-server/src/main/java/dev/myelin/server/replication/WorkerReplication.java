package dev.myelin.server.replication;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.cache.CacheInvalidation;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.replication.RedisReplication;
import dev.myelin.replication.RedisSettings;
import dev.myelin.replication.ReplicationCommand;
import dev.myelin.replication.ReplicationMessage;
import dev.myelin.replication.SequenceTracker;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.presence.PresenceState;
import dev.myelin.server.handler.presence.PresenceStatus;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.storage.stream.ChangedEntities;
import dev.myelin.storage.stream.InstanceLocks;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's part in a homeserver that runs as several processes sharing one database: what it
 * writes, the others hear of over Redis, and what they write, it hears of.
 *
 * <ul>
 *   <li>Stream positions, with the changes behind them ({@link StreamIds#replicate}): readers here see
 *       another process's writes once every writer has passed them, with their change caches told first.
 *   <li>Cache invalidations ({@link CacheInvalidation} listeners out, {@code apply} in).
 *   <li>Wakes of long-polling syncs, fired here once this process's positions reach the sender's.
 *   <li>Typing, from the process that handles it to those that serve {@code /sync}.
 * </ul>
 *
 * <p>Messages can be lost while a connection to Redis is down. Each process numbers its messages; a
 * reader that finds a number missing (or the sender restarted) drops every cache, forgets what its
 * change caches knew up to the sender's next position, and wakes every sync, which then read what
 * changed from the database.
 */
public final class WorkerReplication implements RedisReplication.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerReplication.class);
    private static final String LEAVE = "leave";
    private static final String TYPING_UPDATE = "typing_update";
    private static final String PRESENCE_UPDATE = "presence_update";
    private static final String PRESENCE = "presence";

    private final StreamIds streams;
    private final CacheInvalidation invalidation;
    private final Notifier notifier;
    private final TypingHandler typing;
    private final PresenceHandler presence;
    private final boolean handlesTyping;
    private final boolean handlesPresence;
    private final RedisReplication redis;
    private final InstanceLocks locks;
    private final DeadWriterCheck deadWriters;
    private final SequenceTracker sequences = new SequenceTracker();
    private final PendingWakes wakes;
    private final Map<String, java.util.function.BiConsumer<String, ObjectNode>> commands = new ConcurrentHashMap<>();
    /** Per sender with lost messages, the streams whose next position must not be trusted to come with all its changes. */
    private final Map<String, Set<Stream>> stale = new ConcurrentHashMap<>();

    public WorkerReplication(
            String instance,
            RedisSettings settings,
            Clock clock,
            StreamIds streams,
            CacheInvalidation invalidation,
            Notifier notifier,
            TypingHandler typing,
            PresenceHandler presence,
            boolean handlesTyping,
            boolean handlesPresence,
            InstanceLocks locks) {
        this.locks = locks;
        this.deadWriters = new DeadWriterCheck(streams, locks, clock);
        this.presence = presence;
        this.handlesTyping = handlesTyping;
        this.handlesPresence = handlesPresence;
        this.streams = streams;
        this.invalidation = invalidation;
        this.notifier = notifier;
        this.typing = typing;
        this.redis = new RedisReplication(settings, instance, clock, this);
        this.wakes = new PendingWakes(streams::currentPosition, new PendingWakes.Target() {
            @Override
            public void wake(List<UserId> users, List<RoomId> rooms) {
                notifier.wakeHere(users, rooms);
            }

            @Override
            public void wakeAll() {
                notifier.wakeAll();
            }
        });
    }

    /**
     * Joins the others: from now on this process's writes are announced, and its first announcements
     * have reached Redis before this returns, so no reader can count it out while it writes.
     *
     * @throws IllegalStateException when Redis does not answer within {@code timeout}
     */
    public void start(Duration timeout) throws InterruptedException {
        streams.replicate((stream, token, rows) -> redis.publish(new ReplicationCommand.Position(
                stream.storedName(),
                token,
                rows.stream()
                        .map(r -> new ReplicationCommand.Row(
                                r.position(), r.kind().name(), r.entity()))
                        .toList())));
        streams.onAdvance(stream -> wakes.fireReached());
        invalidation.addListener((cache, keys) -> redis.publish(new ReplicationCommand.Invalidate(cache, keys)));
        notifier.addWakeListener((users, rooms) -> redis.publish(new ReplicationCommand.Wake(
                users.stream().map(UserId::toString).toList(),
                rooms.stream().map(RoomId::value).toList(),
                positions())));
        if (handlesTyping) {
            typing.addReplicator((room, users, position) -> redis.publish(new ReplicationCommand.Typing(
                    room.value(), users.stream().map(UserId::toString).toList(), position)));
        } else {
            typing.forwardTo((room, user, isTyping, expiry) -> redis.publish(new ReplicationCommand.Command(
                    TYPING_UPDATE,
                    JsonNodeFactory.instance
                            .objectNode()
                            .put("room_id", room.value())
                            .put("user_id", user.toString())
                            .put("typing", isTyping)
                            .put("timeout", expiry.toMillis()))));
        }
        if (handlesPresence) {
            presence.addReplicator(status -> redis.publish(new ReplicationCommand.Command(
                    PRESENCE,
                    JsonNodeFactory.instance
                            .objectNode()
                            .put("user_id", status.user().toString())
                            .put("presence", status.state().id())
                            .put("status_msg", status.statusMsg().orElse(null))
                            .put("last_active", status.lastActiveMillis())
                            .put("position", status.position()))));
        } else {
            presence.forwardTo((user, state, statusMsg, replace) -> redis.publish(new ReplicationCommand.Command(
                    PRESENCE_UPDATE,
                    JsonNodeFactory.instance
                            .objectNode()
                            .put("user_id", user.toString())
                            .put("presence", state.id())
                            .put("status_msg", statusMsg.orElse(null))
                            .put("replace_status_msg", replace))));
        }
        redis.start();
        if (!redis.publishAndWait(new ReplicationCommand.Replicate(), timeout)) {
            throw new IllegalStateException("Redis did not answer within " + timeout.toSeconds() + " s");
        }
        deadWriters.start();
    }

    /**
     * Runs {@code handler} with the sender and body of every command {@code name} another process
     * sends ({@link #publishCommand}); for start-up.
     */
    public void onCommand(String name, java.util.function.BiConsumer<String, ObjectNode> handler) {
        commands.put(name, handler);
    }

    /** Sends a command to every other process (in order with everything else this one sends). */
    public void publishCommand(String name, ObjectNode body) {
        redis.publish(new ReplicationCommand.Command(name, body));
    }

    /** Whether the connection to Redis is up. */
    public boolean connected() {
        return redis.connected();
    }

    @Override
    public void onConnected() {
        // what was sent while this process was away is lost: everyone announces again, and the
        // numbering of their messages shows what is missing
        redis.publish(new ReplicationCommand.Replicate());
    }

    @Override
    public void onMessage(ReplicationMessage message) {
        SequenceTracker.Outcome outcome = sequences.observe(message);
        if (outcome == SequenceTracker.Outcome.DUPLICATE) {
            return;
        }
        boolean lost = outcome == SequenceTracker.Outcome.GAP || outcome == SequenceTracker.Outcome.RESTARTED;
        if (lost) {
            LOG.info("Replication from {}: {} (caches dropped, syncs re-read)", message.instance(), outcome);
            stale.put(message.instance(), EnumSet.allOf(Stream.class));
            for (String cache : invalidation.names()) {
                invalidation.apply(cache, List.of());
            }
            // what else it sent meanwhile (typing) comes again when it answers
            redis.publish(new ReplicationCommand.Replicate());
        }
        try {
            handle(message);
        } catch (RuntimeException e) {
            LOG.warn("Replication message from {} not understood: {}", message.instance(), e.toString());
        }
        if (lost) {
            notifier.wakeAll();
        }
    }

    private void handle(ReplicationMessage message) {
        String from = message.instance();
        switch (message.command()) {
            case ReplicationCommand.Position p ->
                Stream.byStoredName(p.stream()).ifPresent(stream -> {
                    Set<Stream> staleStreams = stale.get(from);
                    List<StreamIds.ChangeRow> rows = new ArrayList<>(p.rows().size());
                    boolean unknownKind = false;
                    for (ReplicationCommand.Row row : p.rows()) {
                        Optional<ChangedEntities> kind = kind(row.kind());
                        if (kind.isPresent() && kind.get().stream() == stream) {
                            rows.add(new StreamIds.ChangeRow(row.position(), kind.get(), row.entity()));
                        } else {
                            unknownKind = true;
                        }
                    }
                    if ((staleStreams != null && staleStreams.remove(stream)) || unknownKind) {
                        streams.forgetChanges(stream, p.token());
                    }
                    streams.remotePosition(stream, from, p.token(), rows);
                });
            case ReplicationCommand.Invalidate inv -> invalidation.apply(inv.cache(), inv.keys());
            case ReplicationCommand.Wake w ->
                wakes.add(new PendingWakes.Wake(
                        parse(w.users(), UserId::parse),
                        parse(w.rooms(), RoomId::parse),
                        streamPositions(w.positions())));
            case ReplicationCommand.Replicate r -> {
                for (Stream stream : Stream.values()) {
                    redis.publish(new ReplicationCommand.Position(
                            stream.storedName(), streams.announcedPosition(stream), List.of()));
                }
            }
            case ReplicationCommand.Typing t ->
                typing.applyReplicated(RoomId.parse(t.roomId()), parse(t.userIds(), UserId::parse), t.token());
            case ReplicationCommand.UserSync u -> {
                // presence is kept by the main process; a sync elsewhere does not change it yet
            }
            case ReplicationCommand.Command c -> command(from, c.name(), c.body());
        }
    }

    private void command(String from, String name, ObjectNode body) {
        switch (name) {
            case LEAVE -> streams.writerLeft(from);
            case TYPING_UPDATE -> {
                if (handlesTyping) {
                    try {
                        typing.setTyping(
                                RoomId.parse(body.path("room_id").asText()),
                                UserId.parse(body.path("user_id").asText()),
                                body.path("typing").asBoolean(),
                                Duration.ofMillis(body.path("timeout").asLong()));
                    } catch (MatrixException e) {
                        // left the room meanwhile: nothing to show
                    }
                }
            }
            case PRESENCE_UPDATE -> {
                if (handlesPresence) {
                    presence.updateForwarded(
                            UserId.parse(body.path("user_id").asText()),
                            PresenceState.parse(body.path("presence").asText()).orElseThrow(),
                            text(body, "status_msg"),
                            body.path("replace_status_msg").asBoolean());
                }
            }
            case PRESENCE -> {
                if (!handlesPresence) {
                    presence.applyReplicated(new PresenceStatus(
                            UserId.parse(body.path("user_id").asText()),
                            PresenceState.parse(body.path("presence").asText()).orElseThrow(),
                            text(body, "status_msg"),
                            body.path("last_active").asLong(),
                            body.path("position").asLong()));
                }
            }
            default -> {
                var handler = commands.get(name);
                if (handler != null) {
                    handler.accept(from, body);
                } else {
                    LOG.debug("Unknown replication command {} from {}", name, from);
                }
            }
        }
    }

    private static Optional<String> text(ObjectNode body, String field) {
        return body.path(field).isTextual() ? Optional.of(body.path(field).asText()) : Optional.empty();
    }

    /** This process's positions as a reader elsewhere must reach before a wake sent now fires. */
    private Map<String, Long> positions() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Stream stream : Stream.values()) {
            if (stream != Stream.BACKFILL) {
                out.put(stream.storedName(), streams.highestKnown(stream));
            }
        }
        return out;
    }

    private static Map<Stream, Long> streamPositions(Map<String, Long> positions) {
        Map<Stream, Long> out = new EnumMap<>(Stream.class);
        positions.forEach((name, token) -> Stream.byStoredName(name).ifPresent(s -> out.put(s, token)));
        return out;
    }

    private static Optional<ChangedEntities> kind(String name) {
        try {
            return Optional.of(ChangedEntities.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static <T> List<T> parse(List<String> values, java.util.function.Function<String, T> parser) {
        List<T> out = new ArrayList<>(values.size());
        for (String value : values) {
            try {
                out.add(parser.apply(value));
            } catch (InvalidIdentifierException e) {
                // not an id of anyone here: nothing to wake
            }
        }
        return out;
    }

    /** Tells the others this process stops writing (so they stop waiting for it), then disconnects. */
    @Override
    public void close() {
        try {
            redis.publishAndWait(
                    new ReplicationCommand.Command(LEAVE, JsonNodeFactory.instance.objectNode()),
                    Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deadWriters.close();
            redis.close();
            locks.close();
        }
    }
}
