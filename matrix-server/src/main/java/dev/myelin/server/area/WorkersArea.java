package dev.myelin.server.area;

import dev.myelin.core.id.ServerName;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.server.Router;
import dev.myelin.replication.RedisSettings;
import dev.myelin.server.api.replication.SendEventsEndpoint;
import dev.myelin.server.config.OutboundSettings;
import dev.myelin.server.config.RedisConfig;
import dev.myelin.server.config.WorkerConfig;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventWriters;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.server.replication.RemoteEventWriters;
import dev.myelin.server.replication.ReplicationSecret;
import dev.myelin.server.replication.WorkerReplication;
import java.util.Optional;

/**
 * The homeserver as one of several processes sharing its database ({@code instance_map}, {@code
 * stream_writers}, {@code redis}): who creates each room's events, the replication endpoints other
 * processes call, and the replication over Redis. A single process builds none of it.
 */
public final class WorkersArea {
    private final WorkerConfig workers;
    private final ReplicationSecret secret;
    private final Optional<MatrixHttpClient> http;

    private WorkersArea(WorkerConfig workers, ReplicationSecret secret, Optional<MatrixHttpClient> http) {
        this.workers = workers;
        this.secret = secret;
        this.http = http;
    }

    /** The first half, before the rooms' core exists: the client that reaches the other processes. */
    public static WorkersArea create(WorkerConfig workers, OutboundSettings outbound) {
        Optional<MatrixHttpClient> http = workers.multiProcess()
                ? Optional.of(MatrixHttpClient.create(outbound.clientConfig()))
                : Optional.empty();
        return new WorkersArea(workers, new ReplicationSecret(workers.replicationSecret()), http);
    }

    /** Who creates each room's events: this process, or the room's writer among the others. */
    public EventWriters eventWriters() {
        return http.<EventWriters>map(client -> new RemoteEventWriters(
                        workers::isThisInstance, room -> workers.eventWriterForRoom(room.value()), client, secret))
                .orElse(EventWriters.HERE);
    }

    /**
     * The second half: the replication endpoints and the replication over Redis, not yet started
     * (see {@link WorkerReplication#start}); empty for a single process.
     */
    public Optional<WorkerReplication> install(
            Router router, Core core, EventCreator creator, TypingHandler typing, ServerName serverName) {
        if (!workers.multiProcess()) {
            return Optional.empty();
        }
        router.register(new SendEventsEndpoint(creator, secret));
        RedisConfig redis = workers.redis();
        return Optional.of(new WorkerReplication(
                workers.instanceName(),
                new RedisSettings(
                        redis.host(), redis.port(), redis.password(), redis.dbid(), "myelin.replication." + serverName),
                core.clock(),
                core.streams(),
                core.database().invalidation(),
                core.notifier(),
                typing));
    }

    /** Closes the client to the other processes. */
    public void close() {
        http.ifPresent(MatrixHttpClient::close);
    }
}
