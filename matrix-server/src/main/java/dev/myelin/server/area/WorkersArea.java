package dev.myelin.server.area;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.sender.QueuedUnit;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.server.Router;
import dev.myelin.replication.RedisSettings;
import dev.myelin.server.api.replication.SendEventsEndpoint;
import dev.myelin.server.config.OptionalLibrary;
import dev.myelin.server.config.OutboundSettings;
import dev.myelin.server.config.RedisConfig;
import dev.myelin.server.config.WorkerConfig;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.push.NotifyRequest;
import dev.myelin.server.handler.push.PushSender;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventWriters;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.server.replication.RemoteEventWriters;
import dev.myelin.server.replication.ReplicationSecret;
import dev.myelin.server.replication.WorkerReplication;
import dev.myelin.storage.stream.InstanceLocks;
import dev.myelin.storage.stream.StreamIds;
import java.net.URI;
import java.util.Optional;

/**
 * The homeserver as one of several processes sharing its database ({@code instance_map}, {@code
 * stream_writers}, {@code redis}): who creates each room's events, the replication endpoints other
 * processes call, and the replication over Redis. A single process builds none of it.
 */
public final class WorkersArea {
    private static final String FEDERATION_SEND = "federation_send";
    private static final String PUSH = "push";

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
        if (workers.multiProcess()) {
            OptionalLibrary.REPLICATION.require();
        }
        Optional<MatrixHttpClient> http = workers.multiProcess()
                ? Optional.of(MatrixHttpClient.create(outbound.clientConfig()))
                : Optional.empty();
        return new WorkersArea(workers, new ReplicationSecret(workers.replicationSecret()), http);
    }

    /** Who creates each room's events: this process, or the room's writer among the others. */
    public EventWriters eventWriters(StreamIds streams) {
        return http.<EventWriters>map(client -> new RemoteEventWriters(
                        workers::isThisInstance,
                        room -> workers.eventWriterForRoom(room.value()),
                        client,
                        secret,
                        streams))
                .orElse(EventWriters.HERE);
    }

    /**
     * The second half: the replication endpoints and the replication over Redis, not yet started
     * (see {@link WorkerReplication#start}); empty for a single process.
     */
    public Optional<WorkerReplication> install(
            Router router,
            Core core,
            EventCreator creator,
            TypingHandler typing,
            PresenceHandler presence,
            TransactionSender federationSender,
            ServerName serverName) {
        if (!workers.multiProcess()) {
            return Optional.empty();
        }
        router.register(new SendEventsEndpoint(creator, secret));
        RedisConfig redis = workers.redis();
        WorkerReplication replication = new WorkerReplication(
                workers.instanceName(),
                new RedisSettings(
                        redis.host(), redis.port(), redis.password(), redis.dbid(), "myelin.replication." + serverName),
                core.clock(),
                core.streams(),
                core.database().invalidation(),
                core.notifier(),
                typing,
                presence,
                workers.writes("typing"),
                workers.writes("presence"),
                InstanceLocks.hold(core.database().config(), workers.instanceName()));
        shardFederationSending(replication, federationSender);
        return Optional.of(replication);
    }

    /**
     * Each destination's transactions are sent by one process ({@code federation_sender_instances}):
     * the others hand it their units over Redis, and it queues them in its outbox.
     */
    private void shardFederationSending(WorkerReplication replication, TransactionSender sender) {
        sender.shard(
                destination -> workers.isThisInstance(workers.federationSenderFor(destination.value())),
                (destination, kind, roomId, json) -> {
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.put("destination", destination.value());
                    body.put("kind", kind.name());
                    body.put("room_id", roomId);
                    body.set("unit", json);
                    replication.publishCommand(FEDERATION_SEND, body);
                });
        replication.onCommand(FEDERATION_SEND, (from, body) -> {
            ServerName destination = ServerName.parse(body.path("destination").asText());
            if (!sender.sendsTo(destination) || !body.path("unit").isObject()) {
                return; // another sender's, or not a unit
            }
            ObjectNode unit = (ObjectNode) body.path("unit");
            if (QueuedUnit.Kind.PDU.name().equals(body.path("kind").asText())) {
                sender.sendPdu(destination, body.path("room_id").asText(), unit);
            } else {
                sender.sendEdu(destination, unit);
            }
        });
    }

    /**
     * Pushes are sent by the processes in {@code pusher_instances}; the others hand theirs over
     * Redis to the one that {@link WorkerConfig#pusherFor} picks for the user. Called after {@link #install}.
     */
    public void shardPushes(WorkerReplication replication, PushSender sender) {
        sender.handTo(
                (pusher, request) -> {
                    if (sendsPushesFor(pusher.user())) {
                        sender.pushHandedOver(pusher.user(), pusher.appId(), pusher.pushkey(), request);
                        return;
                    }
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.put("user_id", pusher.user().toString());
                    body.put("app_id", pusher.appId());
                    body.put("pushkey", pusher.pushkey());
                    body.put("url", request.url().toString());
                    body.set("body", request.body());
                    replication.publishCommand(PUSH, body);
                },
                this::sendsPushesFor);
        replication.onCommand(PUSH, (from, body) -> {
            if (!body.path("body").isObject()) {
                return;
            }
            UserId user = UserId.parse(body.path("user_id").asText());
            if (!sendsPushesFor(user)) {
                return; // another pusher's user
            }
            sender.pushHandedOver(
                    user,
                    body.path("app_id").asText(),
                    body.path("pushkey").asText(),
                    new NotifyRequest(URI.create(body.path("url").asText()), (ObjectNode) body.path("body")));
        });
    }

    private boolean sendsPushesFor(UserId user) {
        return workers.sendsPushes() && workers.isThisInstance(workers.pusherFor(user.toString()));
    }

    /** Closes the client to the other processes. */
    public void close() {
        http.ifPresent(MatrixHttpClient::close);
    }
}
