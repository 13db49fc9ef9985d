package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several config files read as one: later top-level keys win, paths and messages stay per file. */
class ConfigMergeTest {
    private final List<String> warnings = new ArrayList<>();
    private final ConfigLoader loader = new ConfigLoader(warnings::add);

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aLaterFilesTopLevelKeyReplacesTheEarlierValueWhole() throws Exception {
        Path shared = write("homeserver.yaml", """
                server_name: example.org
                enable_registration: true
                listeners:
                  - port: 8008
                    resources: [{names: [client, federation]}]
                rc_message: {per_second: 1, burst_count: 5}
                """);
        Path worker = write("worker1.yaml", """
                enable_registration: false
                listeners:
                  - port: 8083
                    resources: [{names: [client]}]
                rc_message: {burst_count: 7}
                """);
        HomeserverConfig config = loader.load(List.of(shared, worker));
        assertThat(config.serverName()).isEqualTo("example.org");
        assertThat(config.enableRegistration()).isFalse();
        assertThat(config.listeners()).singleElement().satisfies(l -> {
            assertThat(l.port()).isEqualTo(8083);
            assertThat(l.resources()).containsExactly("client");
        });
        // the whole rc_message mapping is replaced, so per_second is back to its default
        assertThat(config.rateLimit("rc_message"))
                .isEqualTo(new RateLimitConfig(
                        ConfigLoader.DEFAULT_RATE_LIMITS.get("rc_message").perSecond(), 7));
        assertThat(warnings).isEmpty();
    }

    @Test
    void theOrderOfTheFilesDecides() throws Exception {
        Path a = write("a.yaml", "server_name: example.org\nbcrypt_rounds: 10\n");
        Path b = write("b.yaml", "bcrypt_rounds: 11\n");
        assertThat(loader.load(List.of(a, b)).bcryptRounds()).isEqualTo(11);
        assertThat(loader.load(List.of(b, a)).bcryptRounds()).isEqualTo(10);
    }

    @Test
    void relativePathsResolveAgainstTheDirectoryOfTheFileThatGaveThem() throws Exception {
        Path shared = write("etc/homeserver.yaml", """
                server_name: example.org
                signing_key_path: keys/signing.key
                media_store_path: media
                log_config: log.xml
                database: {name: sqlite3, args: {database: homeserver.db}}
                """);
        Path worker = write("workers/worker1.yaml", """
                media_store_path: worker-media
                """);
        HomeserverConfig config = loader.load(List.of(shared, worker));
        Path etc = dir.resolve("etc").toAbsolutePath();
        Path workers = dir.resolve("workers").toAbsolutePath();
        assertThat(config.signingKeyPath()).isEqualTo(etc.resolve("keys/signing.key"));
        assertThat(config.logConfig()).hasValue(etc.resolve("log.xml"));
        assertThat(config.mediaStorePath()).isEqualTo(workers.resolve("worker-media"));
        assertThat(config.dataDirectory()).isEqualTo(etc);
    }

    @Test
    void theSqliteFileIsRelativeToTheFileThatNamesTheDatabase() throws Exception {
        Path shared = write("etc/homeserver.yaml", "server_name: example.org\n");
        Path other = write("db/database.yaml", "database: {name: sqlite3, args: {database: hs.db}}\n");
        assertThat(loader.load(List.of(shared)).dataDirectory())
                .isEqualTo(dir.resolve("etc").toAbsolutePath());
        assertThat(loader.load(List.of(shared, other)).dataDirectory())
                .isEqualTo(dir.resolve("db").toAbsolutePath());
    }

    @Test
    void aKeysDefaultPathIsRelativeToTheFirstFile() throws Exception {
        Path shared = write("etc/homeserver.yaml", "server_name: example.org\n");
        Path worker = write("workers/worker1.yaml", "enable_registration: false\n");
        HomeserverConfig config = loader.load(List.of(shared, worker));
        assertThat(config.signingKeyPath())
                .isEqualTo(dir.resolve("etc").toAbsolutePath().resolve("example.org.signing.key"));
        assertThat(config.mediaStorePath())
                .isEqualTo(dir.resolve("etc").toAbsolutePath().resolve("media_store"));
    }

    @Test
    void anErrorNamesTheFileThatHoldsTheBadValue() throws Exception {
        Path shared = write("homeserver.yaml", "server_name: example.org\n");
        Path worker = write("worker1.yaml", "bcrypt_rounds: many\n");
        assertThatThrownBy(() -> loader.load(List.of(shared, worker)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(worker + ": 'bcrypt_rounds' must be an integer from 4 to 31");
    }

    @Test
    void aKeyOverriddenByALaterFileIsNotCheckedInTheEarlierOne() throws Exception {
        Path shared = write("homeserver.yaml", "server_name: example.org\nbcrypt_rounds: many\n");
        Path worker = write("worker1.yaml", "bcrypt_rounds: 12\n");
        assertThat(loader.load(List.of(shared, worker)).bcryptRounds()).isEqualTo(12);
    }

    @Test
    void aMissingOrBrokenSecondFileIsNamed() throws Exception {
        Path shared = write("homeserver.yaml", "server_name: example.org\n");
        Path missing = dir.resolve("none.yaml");
        assertThatThrownBy(() -> loader.load(List.of(shared, missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": config file does not exist");
        Path broken = write("broken.yaml", "worker_app: [\n");
        assertThatThrownBy(() -> loader.load(List.of(shared, broken)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(broken + ": not valid YAML");
        Path list = write("list.yaml", "- a\n- b\n");
        assertThatThrownBy(() -> loader.load(List.of(shared, list)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(list + ": the config must be a YAML mapping of keys to values");
    }

    @Test
    void unknownKeysAreWarnedAboutWithTheirFile() throws Exception {
        Path shared = write("homeserver.yaml", "server_name: example.org\n");
        Path worker = write("worker1.yaml", "frobnicate: true\n");
        loader.load(List.of(shared, worker));
        assertThat(warnings).containsExactly(worker + ": unknown key 'frobnicate' is ignored");
    }

    @Test
    void oneFileReadsAsBefore() throws Exception {
        Path file = write("conf/homeserver.yaml", "server_name: example.org\nsigning_key_path: k.key\n");
        HomeserverConfig one = loader.load(file);
        HomeserverConfig list = loader.load(List.of(file));
        assertThat(list.signingKeyPath()).isEqualTo(one.signingKeyPath());
        assertThat(list.database()).isEqualTo(one.database());
        assertThat(one.signingKeyPath())
                .isEqualTo(dir.resolve("conf").toAbsolutePath().resolve("k.key"));
        assertThat(one.dataDirectory()).isEqualTo(dir.resolve("conf").toAbsolutePath());
        assertThat(one.workers()).isEqualTo(WorkerConfig.singleProcess());
    }

    @Test
    void textSourcesMergeLikeFiles() {
        HomeserverConfig config = loader.parse(List.of(
                new ConfigSource("shared", "server_name: example.org\nmedia_store_path: m\n", Path.of("/etc/myelin")),
                new ConfigSource("worker", "worker_log_config: w.xml\n", Path.of("/etc/myelin/workers"))));
        assertThat(config.mediaStorePath()).isEqualTo(Path.of("/etc/myelin/m"));
        // the main process reads log_config; worker_log_config is a worker's
        assertThat(config.logConfig()).isEmpty();
    }
}
