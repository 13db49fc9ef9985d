package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.http.client.InstanceAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worker keys of homeserver.yaml, read with Synapse's names and defaults. */
class WorkerConfigTest {
    private static final String POSTGRES_AND_REDIS = """
            server_name: example.org
            database: {name: psycopg2, args: {user: me, database: myelin, host: localhost}}
            redis: {enabled: true}
            worker_replication_secret: s3cret
            """;
    private static final String INSTANCES = """
            instance_map:
              main: {host: localhost, port: 9093}
              persister1: {host: 10.0.0.2, port: 9094}
              persister2: {path: sockets/persister2.sock}
              sync1: {host: localhost, port: 9095}
            """;

    private final List<String> warnings = new ArrayList<>();
    private final ConfigLoader loader = new ConfigLoader(warnings::add);
    private final Path dir = Path.of("/etc/myelin");

    private HomeserverConfig parse(String yaml) {
        return loader.parse("homeserver.yaml", yaml, dir);
    }

    /** The shared file and a worker's own, as a worker process reads them. */
    private HomeserverConfig worker(String shared, String own) {
        return loader.parse(List.of(
                new ConfigSource("homeserver.yaml", shared, dir),
                new ConfigSource("worker.yaml", own, dir.resolve("workers"))));
    }

    @Test
    void withoutWorkerKeysTheProcessDoesEverything() {
        WorkerConfig workers = parse("server_name: example.org\n").workers();
        assertThat(workers).isEqualTo(WorkerConfig.singleProcess());
        assertThat(workers.role()).isEqualTo("main");
        assertThat(workers.instanceName()).isEqualTo("master");
        assertThat(workers.isMain()).isTrue();
        assertThat(workers.multiProcess()).isFalse();
        for (String stream : WorkerConfig.STREAMS) {
            assertThat(workers.writers(stream)).containsExactly("master");
            assertThat(workers.writes(stream)).isTrue();
        }
        assertThat(workers.eventWriterForRoom("!a:example.org")).isEqualTo("master");
        assertThat(workers.federationSenderFor("other.example")).isEqualTo("master");
        assertThat(workers.runsBackgroundTasks()).isTrue();
        assertThat(workers.runsMediaBackgroundJobs()).isTrue();
        assertThat(workers.sendsPushes()).isTrue();
        assertThat(workers.sendsFederation()).isTrue();
        assertThat(workers.instanceMap()).isEmpty();
        assertThat(workers.replicationSecret()).isEmpty();
        assertThat(workers.redis()).isEqualTo(new RedisConfig(false, "localhost", 6379, Optional.empty(), 0));
        assertThat(parse("server_name: example.org\n").outbound().instances()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void theMainProcessMayBeNamedAsSynapsesIs() {
        assertThat(parse("server_name: example.org\nworker_app: synapse.app.homeserver\n")
                        .workers()
                        .isMain())
                .isTrue();
        WorkerConfig named = parse("server_name: example.org\nworker_app: main\nworker_name: primary\n")
                .workers();
        assertThat(named.isMain()).isTrue();
        assertThat(named.role()).isEqualTo("main");
        assertThat(named.instanceName()).isEqualTo("primary");
        assertThat(named.writes("events")).isTrue();
        assertThat(named.isThisInstance("main")).isTrue();
        assertThat(named.isThisInstance("master")).isTrue();
    }

    @Test
    void readsEveryKeyOfAMainProcessWithWorkers() {
        HomeserverConfig config = parse(POSTGRES_AND_REDIS + INSTANCES + """
                stream_writers:
                  events: [persister1, persister2]
                  typing: sync1
                  to_device: main
                  account_data: [master]
                federation_sender_instances: [fed1, fed2]
                pusher_instances: [pusher1]
                run_background_tasks_on: background1
                media_instance_running_background_jobs: media1
                worker_replication_secret: s3cret
                redis: {enabled: true, host: redis.internal, port: 6380, password: pw, dbid: 2}
                """);
        WorkerConfig workers = config.workers();
        assertThat(workers.isMain()).isTrue();
        assertThat(workers.multiProcess()).isTrue();
        assertThat(workers.writers("events")).containsExactly("persister1", "persister2");
        assertThat(workers.writers("typing")).containsExactly("sync1");
        assertThat(workers.writers("to_device")).containsExactly("master");
        assertThat(workers.writers("account_data")).containsExactly("master");
        assertThat(workers.writers("receipts")).containsExactly("master");
        assertThat(workers.writes("events")).isFalse();
        assertThat(workers.writes("typing")).isFalse();
        assertThat(workers.writes("to_device")).isTrue();
        assertThat(workers.federationSenderInstances()).containsExactly("fed1", "fed2");
        assertThat(workers.sendsFederation()).isFalse();
        assertThat(workers.pusherInstances()).containsExactly("pusher1");
        assertThat(workers.sendsPushes()).isFalse();
        assertThat(workers.runsBackgroundTasks()).isFalse();
        assertThat(workers.runsMediaBackgroundJobs()).isFalse();
        assertThat(workers.replicationSecret()).hasValue("s3cret");
        assertThat(workers.redis()).isEqualTo(new RedisConfig(true, "redis.internal", 6380, Optional.of("pw"), 2));
        assertThat(workers.toString()).doesNotContain("pw").doesNotContain("s3cret");
        InstanceEndpoint main = new InstanceEndpoint.Tcp("localhost", 9093, false);
        assertThat(workers.instanceMap())
                .containsEntry("main", main)
                .containsEntry("master", main)
                .containsEntry("persister1", new InstanceEndpoint.Tcp("10.0.0.2", 9094, false))
                .containsEntry("persister2", new InstanceEndpoint.UnixSocket(dir.resolve("sockets/persister2.sock")))
                .hasSize(5);
        assertThat(config.outbound().instances())
                .containsEntry("main", new InstanceAddress.Tcp("localhost", 9093))
                .containsEntry("master", new InstanceAddress.Tcp("localhost", 9093))
                .containsEntry("persister2", new InstanceAddress.UnixSocket(dir.resolve("sockets/persister2.sock")))
                .hasSize(5);
        assertThat(config.outbound().clientConfig().instances())
                .isEqualTo(config.outbound().instances());
        assertThat(warnings).isEmpty();
    }

    @Test
    void masterInTheInstanceMapAlsoNamesTheMainProcess() {
        WorkerConfig workers = worker(
                        POSTGRES_AND_REDIS + "instance_map: {master: {host: main.internal, port: 9093}}\n",
                        "worker_app: synapse.app.generic_worker\nworker_name: sync1\n")
                .workers();
        assertThat(workers.instanceMap().get("main")).isEqualTo(new InstanceEndpoint.Tcp("main.internal", 9093, false));
        assertThat(workers.instanceMap().get("master"))
                .isEqualTo(workers.instanceMap().get("main"));
    }

    @Test
    void readsAWorkerFromTheSharedFileAndItsOwn() {
        HomeserverConfig config =
                worker(POSTGRES_AND_REDIS + INSTANCES + "stream_writers: {events: [persister1, persister2]}\n", """
                worker_app: synapse.app.generic_worker
                worker_name: persister2
                worker_log_config: persister2.log.xml
                worker_listeners:
                  - port: 9094
                    bind_addresses: [127.0.0.1]
                    resources: [{names: [replication]}]
                """);
        WorkerConfig workers = config.workers();
        assertThat(workers.role()).isEqualTo(WorkerConfig.GENERIC_WORKER);
        assertThat(workers.instanceName()).isEqualTo("persister2");
        assertThat(workers.isMain()).isFalse();
        assertThat(workers.multiProcess()).isTrue();
        assertThat(workers.writes("events")).isTrue();
        assertThat(workers.writes("typing")).isFalse();
        assertThat(workers.sendsFederation()).isFalse();
        assertThat(workers.sendsPushes()).isFalse();
        assertThat(workers.runsBackgroundTasks()).isFalse();
        assertThat(workers.isThisInstance("main")).isFalse();
        assertThat(config.listeners())
                .containsExactly(
                        new ListenerConfig(9094, List.of("127.0.0.1"), false, false, java.util.Set.of("replication")));
        assertThat(config.logConfig()).hasValue(dir.resolve("workers/persister2.log.xml"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aWorkerWithoutWorkerListenersKeepsListeners() {
        HomeserverConfig config = worker(
                POSTGRES_AND_REDIS + "instance_map: {main: {host: localhost, port: 9093}}\n",
                "worker_app: synapse.app.generic_worker\nworker_name: sync1\nlisteners: [{port: 8083}]\n");
        assertThat(config.listeners())
                .singleElement()
                .satisfies(l -> assertThat(l.port()).isEqualTo(8083));
    }

    @Test
    void theMainProcessIgnoresWorkerListenersWithAWarning() {
        HomeserverConfig config = parse("server_name: example.org\nworker_listeners: [{port: 9000}]\n");
        assertThat(config.listeners().getFirst().port()).isEqualTo(8008);
        assertThat(warnings)
                .containsExactly("homeserver.yaml: 'worker_listeners' is ignored: this is the main"
                        + " process, whose listeners are 'listeners'");
    }

    @Test
    void eachWorkerTypeIsAWorker() {
        String shared = POSTGRES_AND_REDIS + """
                instance_map: {main: {host: localhost, port: 9093}, fed1: {host: localhost, port: 9096}}
                federation_sender_instances: [fed1]
                pusher_instances: [pusher1]
                media_instance_running_background_jobs: media1
                """;
        WorkerConfig fed = worker(shared, "worker_app: synapse.app.federation_sender\nworker_name: fed1\n")
                .workers();
        assertThat(fed.role()).isEqualTo(WorkerConfig.FEDERATION_SENDER);
        assertThat(fed.sendsFederation()).isTrue();
        WorkerConfig pusher = worker(shared, "worker_app: synapse.app.pusher\nworker_name: pusher1\n")
                .workers();
        assertThat(pusher.sendsPushes()).isTrue();
        assertThat(pusher.sendsFederation()).isFalse();
        WorkerConfig media = worker(shared, "worker_app: synapse.app.media_repository\nworker_name: media1\n")
                .workers();
        assertThat(media.role()).isEqualTo(WorkerConfig.MEDIA_REPOSITORY);
        assertThat(media.runsMediaBackgroundJobs()).isTrue();
        assertThat(media.runsBackgroundTasks()).isFalse();
    }

    @Test
    void severalFederationSendersShareTheDestinationsByHash() {
        WorkerConfig workers = parse(POSTGRES_AND_REDIS
                        + "instance_map: {fed1: {host: a, port: 1}, fed2: {host: b, port: 2}}\n"
                        + "federation_sender_instances: [fed1, fed2]\n")
                .workers();
        String first = workers.federationSenderFor("remote.example");
        assertThat(first).isIn("fed1", "fed2");
        assertThat(workers.federationSenderFor("remote.example")).isEqualTo(first);
        assertThat(WorkerConfig.shard(List.of("fed1", "fed2"), "remote.example"))
                .isEqualTo(first);
    }

    @Test
    void theEventWriterOfARoomIsStableAndSpreads() {
        List<String> writers = List.of("persister1", "persister2");
        int first = 0;
        for (int i = 0; i < 1000; i++) {
            String room = "!room" + i + ":example.org";
            String writer = WorkerConfig.shard(writers, room);
            assertThat(WorkerConfig.shard(writers, room)).isEqualTo(writer);
            if (writer.equals("persister1")) {
                first++;
            }
        }
        assertThat(first).isBetween(400, 600);
        // the documented rule, computed independently: every process and release must agree on it
        assertThat(WorkerConfig.shard(writers, "!a:example.org"))
                .isEqualTo(writers.get((int) (fourBytes("!a:example.org") % 2)));
        WorkerConfig config = parse(
                        POSTGRES_AND_REDIS + INSTANCES + "stream_writers: {events: [persister1, persister2]}\n")
                .workers();
        assertThat(config.eventWriterForRoom("!a:example.org"))
                .isEqualTo(WorkerConfig.shard(writers, "!a:example.org"));
    }

    private static long fourBytes(String key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new java.math.BigInteger(1, java.util.Arrays.copyOf(digest, 4)).longValue();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theMainProcessCountsAsTheWriterByEitherName() {
        WorkerConfig workers = parse(POSTGRES_AND_REDIS + INSTANCES + "stream_writers: {events: [main, persister1]}\n")
                .workers();
        assertThat(workers.writers("events")).containsExactly("master", "persister1");
        assertThat(workers.writes("events")).isTrue();
    }

    @Test
    void refusesAnUnknownWorkerApp() {
        assertThatThrownBy(() -> parse("server_name: example.org\nworker_app: synapse.app.frobnicator\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "homeserver.yaml: 'worker_app' is not a known worker type: 'synapse.app.frobnicator'");
        assertThatThrownBy(() -> parse("server_name: example.org\nworker_app: synapse.app.client_reader\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'worker_app' is synapse.app.client_reader, an old worker type: use"
                        + " synapse.app.generic_worker");
        assertThatThrownBy(() -> parse("server_name: example.org\nworker_app: [a]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'worker_app' must be a string");
    }

    @Test
    void aWorkerNeedsAName() {
        assertThatThrownBy(() -> worker(POSTGRES_AND_REDIS, "worker_app: synapse.app.generic_worker\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("worker.yaml: 'worker_name' is required for a worker (worker_app"
                        + " synapse.app.generic_worker)");
        assertThatThrownBy(
                        () -> worker(POSTGRES_AND_REDIS, "worker_app: synapse.app.generic_worker\nworker_name: main\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("worker.yaml: 'worker_name' is 'main', the name of the main process");
        assertThatThrownBy(() -> parse("server_name: example.org\nworker_name: ''\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'worker_name' must not be empty");
    }

    @Test
    void refusesBadInstanceMapEntries() {
        assertThatThrownBy(() -> parse("server_name: example.org\ninstance_map: [a]\n"))
                .hasMessage("homeserver.yaml: 'instance_map' must be a mapping");
        assertThatThrownBy(() -> parse("server_name: example.org\ninstance_map: {w1: localhost}\n"))
                .hasMessage("homeserver.yaml: 'instance_map.w1' must be a mapping");
        assertThatThrownBy(() -> parse("server_name: example.org\ninstance_map: {w1: }\n"))
                .hasMessage("homeserver.yaml: 'instance_map.w1' must be a mapping with host and port, or path");
        assertThatThrownBy(() -> parse("server_name: example.org\ninstance_map: {w1: {host: a}}\n"))
                .hasMessage("homeserver.yaml: 'instance_map.w1.port' is required");
        assertThatThrownBy(() -> parse("server_name: example.org\ninstance_map: {w1: {port: 1}}\n"))
                .hasMessage("homeserver.yaml: 'instance_map.w1.host' is required");
        assertThatThrownBy(() -> parse("server_name: example.org\ninstance_map: {w1: {host: a, port: 70000}}\n"))
                .hasMessage("homeserver.yaml: 'instance_map.w1.port' must be an integer from 1 to 65535");
        assertThatThrownBy(() -> parse("server_name: example.org\ninstance_map: {w1: {host: a, port: '1'}}\n"))
                .hasMessage("homeserver.yaml: 'instance_map.w1.port' must be an integer from 1 to 65535");
        assertThatThrownBy(() ->
                        parse("server_name: example.org\ninstance_map: {w1: {host: a, port: 1, tls: yes please}}\n"))
                .hasMessage("homeserver.yaml: 'instance_map.w1.tls' must be true or false");
        assertThatThrownBy(() -> parse("server_name: example.org\ninstance_map: {w1: {host: a, port: 1, tls: true}}\n"))
                .hasMessageStartingWith(
                        "homeserver.yaml: 'instance_map.w1.tls' is true, but internal requests are plain HTTP");
        assertThatThrownBy(() -> parse("server_name: example.org\ninstance_map: {w1: {path: /s, host: a, port: 1}}\n"))
                .hasMessage("homeserver.yaml: 'instance_map.w1' must have either path (a UNIX socket) or host and"
                        + " port, not both");
        assertThatThrownBy(() -> parse("server_name: example.org\n"
                        + "instance_map: {main: {host: a, port: 1}, master: {host: b, port: 1}}\n"))
                .hasMessage("homeserver.yaml: 'instance_map' names the main process twice, as main and as master,"
                        + " at different addresses");
    }

    @Test
    void refusesBadStreamWriters() {
        assertThatThrownBy(() -> parse(POSTGRES_AND_REDIS + "stream_writers: {events: persister1}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'stream_writers.events' names 'persister1', which is not in"
                        + " instance_map: other processes send events writes to it there");
        assertThatThrownBy(
                        () -> parse(POSTGRES_AND_REDIS + INSTANCES + "stream_writers: {typing: [sync1, persister1]}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'stream_writers.typing' names 2 writers; only the events stream may"
                        + " have several writers here, typing must have one");
        assertThatThrownBy(() -> parse(POSTGRES_AND_REDIS + "stream_writers: {events: []}\n"))
                .hasMessage("homeserver.yaml: 'stream_writers.events' must name at least one instance");
        assertThatThrownBy(() -> parse(POSTGRES_AND_REDIS + "stream_writers: {events: [main, master]}\n"))
                .hasMessage("homeserver.yaml: 'stream_writers.events' names 'master' twice");
        assertThatThrownBy(() -> parse(POSTGRES_AND_REDIS + "stream_writers: {events: {a: b}}\n"))
                .hasMessage("homeserver.yaml: 'stream_writers.events' must be a string");
        assertThatThrownBy(() -> parse(POSTGRES_AND_REDIS + "stream_writers: [events]\n"))
                .hasMessage("homeserver.yaml: 'stream_writers' must be a mapping");
    }

    @Test
    void warnsAboutAStreamItDoesNotKnow() {
        parse("server_name: example.org\nstream_writers: {thread_subscriptions: main}\n");
        assertThat(warnings)
                .containsExactly("homeserver.yaml: 'stream_writers.thread_subscriptions' is ignored: streams with"
                        + " writers are events, typing, to_device, account_data, receipts, presence, push_rules,"
                        + " device_lists");
    }

    @Test
    void refusesBadValuesOfTheOtherKeys() {
        assertThatThrownBy(() -> parse("server_name: example.org\nfederation_sender_instances: []\n"))
                .hasMessage("homeserver.yaml: 'federation_sender_instances' must name at least one instance");
        assertThatThrownBy(() -> parse("server_name: example.org\npusher_instances: [[a]]\n"))
                .hasMessage("homeserver.yaml: 'pusher_instances[0]' must be a string");
        assertThatThrownBy(() -> parse("server_name: example.org\nrun_background_tasks_on: [a]\n"))
                .hasMessage("homeserver.yaml: 'run_background_tasks_on' must be a string");
        assertThatThrownBy(() -> parse("server_name: example.org\nredis: {enabled: 1}\n"))
                .hasMessage("homeserver.yaml: 'redis.enabled' must be true or false");
        assertThatThrownBy(() -> parse("server_name: example.org\nredis: {port: 0}\n"))
                .hasMessage("homeserver.yaml: 'redis.port' must be an integer from 1 to 65535");
        assertThatThrownBy(() -> parse("server_name: example.org\nredis: {dbid: -1}\n"))
                .hasMessage("homeserver.yaml: 'redis.dbid' must be an integer from 0 to 2147483647");
        assertThatThrownBy(() -> parse("server_name: example.org\nredis: on\n"))
                .hasMessage("homeserver.yaml: 'redis' must be a mapping");
        assertThatThrownBy(() -> parse("server_name: example.org\nworker_replication_secret: [a]\n"))
                .hasMessage("homeserver.yaml: 'worker_replication_secret' must be a string");
    }

    @Test
    void redisDefaultsAndUnknownKeys() {
        RedisConfig redis = parse(POSTGRES_AND_REDIS + "redis: {enabled: true, use_tls: false}\n")
                .workers()
                .redis();
        assertThat(redis).isEqualTo(new RedisConfig(true, "localhost", 6379, Optional.empty(), 0));
        assertThat(warnings).containsExactly("homeserver.yaml: 'redis.use_tls' is ignored");
    }

    @Test
    void workersNeedPostgres() {
        assertThatThrownBy(() -> worker(
                        "server_name: example.org\nredis: {enabled: true}\n"
                                + "instance_map: {main: {host: localhost, port: 9093}}\n",
                        "worker_app: synapse.app.generic_worker\nworker_name: sync1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml, worker.yaml: workers need PostgreSQL and Redis: this configuration uses"
                        + " sqlite (database.name: sqlite3); set database.name: psycopg2 with the PostgreSQL database"
                        + " every process shares. This configuration runs several processes (this one is worker"
                        + " 'sync1', synapse.app.generic_worker); one process on SQLite needs none of worker_app,"
                        + " instance_map entries for other processes, or redis.");
    }

    @Test
    void workersNeedRedis() {
        assertThatThrownBy(() -> parse("""
                        server_name: example.org
                        database: {name: postgres, args: {database: myelin}}
                        instance_map: {main: {host: localhost, port: 9093}, sync1: {host: localhost, port: 9094}}
                        """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: workers need PostgreSQL and Redis: redis.enabled is not true; set redis:"
                        + " {enabled: true, host: ..., port: ...} to the Redis server every process shares. This"
                        + " configuration runs several processes (instance_map names other processes); one process"
                        + " on SQLite needs none of worker_app, instance_map entries for other processes, or redis.");
        assertThatThrownBy(() -> parse("server_name: example.org\nredis: {enabled: true}\n"))
                .hasMessageContaining("workers need PostgreSQL and Redis: this configuration uses sqlite")
                .hasMessageContaining("(redis.enabled is true)");
        assertThatThrownBy(() -> parse("server_name: example.org\n"
                        + "database: {name: jdbc, args: {url: 'jdbc:sqlite:/tmp/x.db'}}\nredis: {enabled: true}\n"))
                .hasMessageContaining("this configuration uses sqlite (database.name: jdbc)");
        // PostgreSQL through a JDBC URL counts
        assertThat(parse("server_name: example.org\n"
                                + "database: {name: jdbc, args: {url: 'jdbc:postgresql://db/myelin'}}\n"
                                + "redis: {enabled: true}\nworker_replication_secret: s3cret\n")
                        .workers()
                        .multiProcess())
                .isTrue();
    }

    @Test
    void aSingleProcessWithSynapsesKeysRunsOnSqlite() {
        WorkerConfig workers = parse("""
                        server_name: example.org
                        worker_app: synapse.app.homeserver
                        instance_map: {main: {host: localhost, port: 9093}}
                        stream_writers: {events: main, typing: master}
                        """).workers();
        assertThat(workers.multiProcess()).isFalse();
        assertThat(workers.writes("typing")).isTrue();
    }

    @Test
    void aWorkerNeedsTheMainProcessInTheInstanceMap() {
        assertThatThrownBy(() ->
                        worker(POSTGRES_AND_REDIS, "worker_app: synapse.app.generic_worker\nworker_name: sync1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("homeserver.yaml, worker.yaml: worker 'sync1' needs the main process in"
                        + " instance_map (as 'main'");
    }

    @Test
    void aWorkerOthersReachMustBeInTheInstanceMap() {
        String shared = POSTGRES_AND_REDIS + "instance_map: {main: {host: localhost, port: 9093}}\n"
                + "federation_sender_instances: [fed1]\n";
        assertThatThrownBy(() -> worker(shared, "worker_app: synapse.app.federation_sender\nworker_name: fed1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml, worker.yaml: worker 'fed1' sends federation but is not in instance_map;"
                        + " the other processes reach it there, so add 'fed1' with the host and port (or path) of its"
                        + " replication listener");
    }

    @Test
    void aFederationSenderOrPusherMustBeListedAsOne() {
        String shared = POSTGRES_AND_REDIS + "instance_map: {main: {host: localhost, port: 9093}}\n";
        assertThatThrownBy(() -> worker(shared, "worker_app: synapse.app.federation_sender\nworker_name: fed1\n"))
                .hasMessage("homeserver.yaml, worker.yaml: worker 'fed1' is a synapse.app.federation_sender but not"
                        + " in federation_sender_instances; add it there (in the file every process reads)");
        assertThatThrownBy(() -> worker(shared, "worker_app: synapse.app.pusher\nworker_name: pusher1\n"))
                .hasMessage("homeserver.yaml, worker.yaml: worker 'pusher1' is a synapse.app.pusher but not in"
                        + " pusher_instances; add it there (in the file every process reads)");
    }

    @Test
    void writersReadsOnlyKnownStreams() {
        WorkerConfig workers = WorkerConfig.singleProcess();
        assertThatThrownBy(() -> workers.writers("frobs")).isInstanceOf(IllegalArgumentException.class);
        assertThat(workers.streamWriters()).containsOnlyKeys(WorkerConfig.STREAMS);
        assertThat(workers.streamWriters()).isEqualTo(Map.copyOf(workers.streamWriters()));
    }

    @Test
    void severalProcessesNeedAReplicationSecret() {
        assertThatThrownBy(() -> parse("""
                        server_name: example.org
                        database: {name: psycopg2, args: {user: me, database: myelin, host: localhost}}
                        redis: {enabled: true}
                        """))
                .hasMessageStartingWith("homeserver.yaml: workers need worker_replication_secret");
    }
}
