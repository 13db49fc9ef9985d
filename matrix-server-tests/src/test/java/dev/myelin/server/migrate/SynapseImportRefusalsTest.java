package dev.myelin.server.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.storage.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What {@code import-synapse} refuses, and what a dry run leaves behind: nothing. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SynapseImportRefusalsTest {
    @TempDir
    Path dir;

    @Test
    void aDryRunCountsEveryTableAndWritesNothing() throws Exception {
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        Path myelin = dir.resolve("myelin");
        List<String> config = ImportCommands.myelinConfig(myelin, "localhost", TestDatabases.Kind.SQLITE);
        String keyBefore = Files.readString(myelin.resolve("localhost.signing.key"));

        ImportCommands.Result result = ImportCommands.run(ImportCommands.importArgs(fixture, config, true));

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out())
                .containsPattern("events\\s+374\\s+374")
                .containsPattern("users\\s+45\\s+45")
                .containsPattern("e2e_one_time_keys_json\\s+200\\s+200")
                .contains("dry run: nothing was written");
        assertThat(result.err()).contains("rows/s");
        assertThat(myelin.resolve("homeserver.db")).doesNotExist();
        assertThat(myelin.resolve("media_store/local_content")).doesNotExist();
        assertThat(Files.readString(myelin.resolve("localhost.signing.key"))).isEqualTo(keyBefore);
    }

    @Test
    void anUnknownSynapseSchemaVersionIsRefused() {
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        fixture.execute("UPDATE schema_version SET version = 93");
        List<String> config =
                ImportCommands.myelinConfig(dir.resolve("myelin"), "localhost", TestDatabases.Kind.SQLITE);

        ImportCommands.Result result = ImportCommands.run(ImportCommands.importArgs(fixture, config, false));

        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err())
                .contains("import-synapse: the Synapse database has schema version 93")
                .contains("knows version 92 (Synapse 1.132) only");
        assertThat(dir.resolve("myelin/homeserver.db")).doesNotExist();
    }

    @Test
    void anotherServerNameIsRefused() {
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        List<String> config =
                ImportCommands.myelinConfig(dir.resolve("myelin"), "example.org", TestDatabases.Kind.SQLITE);

        ImportCommands.Result result = ImportCommands.run(ImportCommands.importArgs(fixture, config, false));

        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err()).contains("the server names differ: Synapse serves 'localhost'");
    }

    @Test
    void aDatabaseThatIsNotEmptyIsRefused() {
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        List<String> config =
                ImportCommands.myelinConfig(dir.resolve("myelin"), "localhost", TestDatabases.Kind.SQLITE);
        assertThat(ImportCommands.run(ImportCommands.importArgs(fixture, config, false))
                        .code())
                .isZero();

        ImportCommands.Result again = ImportCommands.run(ImportCommands.importArgs(fixture, config, false));

        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err())
                .contains("Myelin's database is not empty (users has 45 rows)")
                .contains("re-run");
    }

    @Test
    void aMissingSynapseConfigIsRefused() {
        List<String> config =
                ImportCommands.myelinConfig(dir.resolve("myelin"), "localhost", TestDatabases.Kind.SQLITE);
        ImportCommands.Result result = ImportCommands.run(List.of(
                "import-synapse",
                "--synapse-config",
                dir.resolve("nope.yaml").toString(),
                "--config",
                config.getFirst()));
        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err()).contains("cannot read the Synapse config");
    }
}
