package dev.myelin.server.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which part of a homeserver this process is, when one homeserver runs as several processes
 * sharing PostgreSQL and Redis, read with Synapse's keys ({@code worker_app}, {@code worker_name},
 * {@code instance_map}, {@code stream_writers}, ...). A configuration without any of them is one
 * process doing everything: {@link #singleProcess()}.
 *
 * <p>The main process is named {@value #MAIN_INSTANCE} unless it sets {@code worker_name}. In the
 * lists of this record (writers, senders, pushers) the names {@code main} and {@code master} both
 * stand for the main process and are reported as {@value #MAIN_INSTANCE}; {@link #instanceMap()}
 * holds the main process's entry under both names.
 *
 * <p>Streams with several writers (only {@code events} here) and several federation senders are
 * sharded by a stable hash: the first four bytes of the SHA-256 of the UTF-8 key (room id or
 * server name), as an unsigned big-endian number, modulo the number of instances. Every process
 * computes the same choice from the same list, so the list must be the same in every process, and
 * changing it (adding, removing or reordering writers) moves rooms and destinations to other
 * instances: stop every process before changing it.
 *
 * @param role {@code worker_app} as written, or {@code main} when absent
 * @param instanceName this process's name: {@code worker_name}, or {@value #MAIN_INSTANCE} for the
 *     main process without one
 * @param instanceMap {@code instance_map}: where each named process takes internal requests
 * @param streamWriters {@code stream_writers}: the writers of each of {@link #STREAMS}
 * @param federationSenderInstances {@code federation_sender_instances} (default the main process)
 * @param pusherInstances {@code pusher_instances} (default the main process)
 * @param backgroundTasksInstance {@code run_background_tasks_on} (default the main process)
 * @param mediaBackgroundJobsInstance {@code media_instance_running_background_jobs} (default the
 *     main process)
 * @param replicationSecret {@code worker_replication_secret}: the secret internal HTTP requests
 *     between the processes carry, when set
 * @param redis the {@code redis} section
 */
public record WorkerConfig(
        String role,
        String instanceName,
        Map<String, InstanceEndpoint> instanceMap,
        Map<String, List<String>> streamWriters,
        List<String> federationSenderInstances,
        List<String> pusherInstances,
        String backgroundTasksInstance,
        String mediaBackgroundJobsInstance,
        Optional<String> replicationSecret,
        RedisConfig redis) {

    /** The main process's name, Synapse's. */
    public static final String MAIN_INSTANCE = "master";

    /** The other name the main process goes by in {@code instance_map} and the lists. */
    public static final String MAIN_ALIAS = "main";

    /** The role of the main process ({@code worker_app} absent). */
    public static final String MAIN_ROLE = "main";

    /** The {@code worker_app} of a worker serving client reads, /sync, federation inbound, or persisting events. */
    public static final String GENERIC_WORKER = "synapse.app.generic_worker";

    /** The {@code worker_app} of a worker serving the media repository. */
    public static final String MEDIA_REPOSITORY = "synapse.app.media_repository";

    /** The {@code worker_app} of a worker sending federation transactions. */
    public static final String FEDERATION_SENDER = "synapse.app.federation_sender";

    /** The {@code worker_app} of a worker sending push notifications. */
    public static final String PUSHER = "synapse.app.pusher";

    /** The {@code worker_app} values that make a process the main one. */
    public static final Set<String> MAIN_ROLES = Set.of(MAIN_ROLE, "synapse.app.homeserver");

    /** The {@code worker_app} values that make a process a worker. */
    public static final Set<String> WORKER_ROLES = Set.of(GENERIC_WORKER, MEDIA_REPOSITORY, FEDERATION_SENDER, PUSHER);

    /** The streams of {@code stream_writers}. */
    public static final List<String> STREAMS = List.of(
            "events", "typing", "to_device", "account_data", "receipts", "presence", "push_rules", "device_lists");

    /** The stream that may have several writers, sharded by room. */
    public static final String EVENTS = "events";

    /** Requires every part, a writer list for every stream, and copies the collections. */
    public WorkerConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(instanceName, "instanceName");
        Objects.requireNonNull(backgroundTasksInstance, "backgroundTasksInstance");
        Objects.requireNonNull(mediaBackgroundJobsInstance, "mediaBackgroundJobsInstance");
        Objects.requireNonNull(replicationSecret, "replicationSecret");
        Objects.requireNonNull(redis, "redis");
        instanceMap = Map.copyOf(instanceMap);
        Map<String, List<String>> writers = new LinkedHashMap<>();
        for (String stream : STREAMS) {
            List<String> names = streamWriters.get(stream);
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("no writer for stream " + stream);
            }
            writers.put(stream, List.copyOf(names));
        }
        streamWriters = Map.copyOf(writers);
        federationSenderInstances = List.copyOf(federationSenderInstances);
        pusherInstances = List.copyOf(pusherInstances);
        if (federationSenderInstances.isEmpty() || pusherInstances.isEmpty()) {
            throw new IllegalArgumentException("federation senders and pushers must name an instance");
        }
    }

    /** One process doing everything: the main process, every stream and duty its own, no Redis. */
    public static WorkerConfig singleProcess() {
        Map<String, List<String>> writers = new LinkedHashMap<>();
        STREAMS.forEach(stream -> writers.put(stream, List.of(MAIN_INSTANCE)));
        return new WorkerConfig(
                MAIN_ROLE,
                MAIN_INSTANCE,
                Map.of(),
                writers,
                List.of(MAIN_INSTANCE),
                List.of(MAIN_INSTANCE),
                MAIN_INSTANCE,
                MAIN_INSTANCE,
                Optional.empty(),
                RedisConfig.DISABLED);
    }

    /** Whether this process is the main one ({@code worker_app} absent, {@code main} or {@code synapse.app.homeserver}). */
    public boolean isMain() {
        return MAIN_ROLES.contains(role);
    }

    /**
     * Whether the homeserver runs as several processes: Redis is enabled, this process is a
     * worker, or {@code instance_map} names a process other than the main one. Such a
     * configuration needs PostgreSQL and Redis.
     */
    public boolean multiProcess() {
        return redis.enabled()
                || !isMain()
                || instanceMap.keySet().stream().anyMatch(name -> !isMainName(name) && !isThisInstance(name));
    }

    /**
     * Whether {@code name} is this process: its own name, or {@code main}/{@code master} when this
     * is the main process.
     */
    public boolean isThisInstance(String name) {
        return name.equals(instanceName) || (isMain() && isMainName(name));
    }

    /**
     * The writers of {@code stream} (one of {@link #STREAMS}), the main process as
     * {@value #MAIN_INSTANCE}; only {@code events} may have several.
     *
     * @throws IllegalArgumentException for a stream not in {@link #STREAMS}
     */
    public List<String> writers(String stream) {
        List<String> writers = streamWriters.get(stream);
        if (writers == null) {
            throw new IllegalArgumentException("no stream named " + stream);
        }
        return writers;
    }

    /** Whether this process is a writer of {@code stream}. */
    public boolean writes(String stream) {
        return writers(stream).stream().anyMatch(this::isThisInstance);
    }

    /**
     * The event persister that writes the events of {@code roomId}: the only writer, or with
     * several one chosen by the stable hash of the room id (see the class comment: changing the
     * list of writers moves rooms to other writers).
     */
    public String eventWriterForRoom(String roomId) {
        return shard(writers(EVENTS), roomId);
    }

    /**
     * The federation sender that sends to {@code serverName}: the only one, or with several one
     * chosen by the stable hash of the server name.
     */
    public String federationSenderFor(String serverName) {
        return shard(federationSenderInstances, serverName);
    }

    /** The instance that sends {@code userId}'s pushes: one of {@code pusher_instances}, by the same hash. */
    public String pusherFor(String userId) {
        return shard(pusherInstances, userId);
    }

    /** Whether this process runs the periodic background tasks ({@code run_background_tasks_on}). */
    public boolean runsBackgroundTasks() {
        return isThisInstance(backgroundTasksInstance);
    }

    /** Whether this process runs the media repository's background jobs (expiry of cached remote media). */
    public boolean runsMediaBackgroundJobs() {
        return isThisInstance(mediaBackgroundJobsInstance);
    }

    /** Whether this process sends push notifications (it is in {@code pusher_instances}). */
    public boolean sendsPushes() {
        return pusherInstances.stream().anyMatch(this::isThisInstance);
    }

    /** Whether this process sends federation transactions (it is in {@code federation_sender_instances}). */
    public boolean sendsFederation() {
        return federationSenderInstances.stream().anyMatch(this::isThisInstance);
    }

    /** Every part but the replication secret, which is only said to be set. */
    @Override
    public String toString() {
        return "WorkerConfig[role=" + role + ", instanceName=" + instanceName + ", instanceMap=" + instanceMap
                + ", streamWriters=" + streamWriters + ", federationSenderInstances=" + federationSenderInstances
                + ", pusherInstances=" + pusherInstances + ", backgroundTasksInstance=" + backgroundTasksInstance
                + ", mediaBackgroundJobsInstance=" + mediaBackgroundJobsInstance + ", replicationSecret="
                + (replicationSecret.isPresent() ? "(set)" : "(none)") + ", redis=" + redis + "]";
    }

    /** Whether {@code name} is one of the names of the main process in lists and {@code instance_map}. */
    public static boolean isMainName(String name) {
        return name.equals(MAIN_INSTANCE) || name.equals(MAIN_ALIAS);
    }

    /**
     * The instance of {@code instances} that handles {@code key}: the first four bytes of the
     * SHA-256 of its UTF-8 bytes as an unsigned number, modulo the number of instances.
     */
    static String shard(List<String> instances, String key) {
        if (instances.size() == 1) {
            return instances.getFirst();
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        long value = ((digest[0] & 0xffL) << 24)
                | ((digest[1] & 0xffL) << 16)
                | ((digest[2] & 0xffL) << 8)
                | (digest[3] & 0xffL);
        return instances.get((int) (value % instances.size()));
    }
}
