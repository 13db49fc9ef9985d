package dev.myelin.server.migrate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Synapse 1.132 server kept in this module's {@code src/test/fixtures/synapse-1.132-sqlite} (or
 * where the {@code myelin.synapse.fixture} property says), copied into a test's folder so it is never modified, and
 * read directly to know what Myelin must serve after the import.
 */
final class SynapseFixture {
    static final Path SOURCE =
            Path.of(System.getProperty("myelin.synapse.fixture", "src/test/fixtures/synapse-1.132-sqlite"));

    private final Path dir;

    private SynapseFixture(Path dir) {
        this.dir = dir;
    }

    /** A copy of the fixture in {@code into}; skips the test where the fixture is not available. */
    static SynapseFixture copyInto(Path into) {
        Assumptions.assumeTrue(Files.isRegularFile(SOURCE.resolve("homeserver.db")), "no Synapse fixture at " + SOURCE);
        try (Stream<Path> files = Files.walk(SOURCE)) {
            for (Path file : files.toList()) {
                Path target = into.resolve(SOURCE.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SynapseFixture(into);
    }

    Path config() {
        return dir.resolve("homeserver.yaml");
    }

    Path media(String relative) {
        return dir.resolve("media_store").resolve(relative);
    }

    /** The first column of each row {@code sql} selects, as strings. */
    List<String> column(String sql, Object... params) {
        List<String> out = new ArrayList<>();
        rows(sql, r -> out.add(r.getString(1)), params);
        return out;
    }

    /** Each row {@code sql} selects, its columns as strings. */
    List<List<String>> rows(String sql, Object... params) {
        List<List<String>> out = new ArrayList<>();
        rows(
                sql,
                r -> {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        row.add(r.getString(i));
                    }
                    out.add(row);
                },
                params);
        return out;
    }

    void execute(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("homeserver.db"))) {
            c.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Row {
        void accept(ResultSet r) throws SQLException;
    }

    private void rows(String sql, Row row, Object... params) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("homeserver.db"));
                PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    row.accept(r);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
