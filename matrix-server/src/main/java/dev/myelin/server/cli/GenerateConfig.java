package dev.myelin.server.cli;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.SigningKeyFile;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code generate-config}: writes a complete, commented {@code homeserver.yaml} that works as it
 * is (SQLite under the data directory, registration closed unless asked for) and a fresh Ed25519
 * signing key. An existing config is never overwritten.
 */
public final class GenerateConfig {
    /** Where everything the server writes goes, relative paths being resolved against the config. */
    public record Options(
            String serverName, Path configPath, Path dataDir, String bind, int port, boolean enableRegistration) {}

    private final SecureRandom random;

    public GenerateConfig(SecureRandom random) {
        this.random = random;
    }

    public void run(Options options) {
        try {
            ServerName.parse(options.serverName());
        } catch (InvalidIdentifierException e) {
            throw new UsageException("generate-config: --server-name is not a valid server name: " + e.getMessage());
        }
        if (Files.exists(options.configPath())) {
            throw new UsageException(
                    "generate-config: " + options.configPath() + " already exists; not overwriting it");
        }
        try {
            Path dataDir = options.dataDir().toAbsolutePath().normalize();
            Files.createDirectories(dataDir);
            Path parent = options.configPath().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path keyPath = dataDir.resolve(options.serverName().replace(':', '_') + ".signing.key");
            if (!Files.exists(keyPath)) {
                SigningKeyFile.write(keyPath, List.of(SigningKey.generate(keyVersion())));
            }
            Files.writeString(options.configPath(), render(options, dataDir, keyPath));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "generate-config: cannot write " + options.configPath() + ": " + e.getMessage(), e);
        }
    }

    String render(Options options, Path dataDir, Path keyPath) {
        String host = options.bind().contains(":") ? "[" + options.bind() + "]" : options.bind();
        return """
                # Myelin homeserver configuration. Key names follow Synapse's where the meaning is
                # the same. Relative paths are resolved against this file's directory.

                # The domain of every user id (@user:SERVER_NAME) and room alias here. It cannot
                # be changed once users exist.
                server_name: "%s"

                # The URL clients use to reach this server.
                public_baseurl: "http://%s:%d/"

                listeners:
                  - port: %d
                    bind_addresses: ['%s']
                    type: http
                    tls: false
                    # Trust X-Forwarded-For from a reverse proxy in front of this listener.
                    x_forwarded: false
                    resources:
                      - names: [client, federation]

                # How long clients may hold connections (see docs/running.md); these are the defaults.
                # http_timeouts: {idle: 30s, request_headers: 15s, request_body: 20s}

                # SQLite is the embedded default. For PostgreSQL:
                #   database:
                #     name: psycopg2
                #     args: {user: myelin, password: secret, database: myelin, host: localhost, port: 5432, cp_min: 5, cp_max: 10}
                database:
                  name: sqlite3
                  args:
                    database: "%s"

                # The Ed25519 key this server signs events and requests with. Keep it secret.
                signing_key_path: "%s"

                media_store_path: "%s"
                max_upload_size: 50M

                # Open registration. Without email or captcha verification only for trusted networks.
                enable_registration: %s
                enable_registration_without_verification: %s

                # Lets admins create accounts with `register-user` (and Synapse's register_new_matrix_user).
                registration_shared_secret: "%s"

                # Rooms created without an explicit room_version get this one.
                default_room_version: "10"

                # Rate limits (per_second, burst_count), as in Synapse.
                rc_message:
                  per_second: 0.2
                  burst_count: 10
                rc_registration:
                  per_second: 0.17
                  burst_count: 3
                rc_login:
                  address: {per_second: 0.003, burst_count: 5}
                  account: {per_second: 0.003, burst_count: 5}
                  failed_attempts: {per_second: 0.17, burst_count: 3}
                """.formatted(
                        options.serverName(),
                        host,
                        options.port(),
                        options.port(),
                        options.bind(),
                        dataDir.resolve("homeserver.db"),
                        keyPath,
                        dataDir.resolve("media_store"),
                        options.enableRegistration(),
                        options.enableRegistration(),
                        secret());
    }

    private String keyVersion() {
        byte[] bytes = new byte[3];
        random.nextBytes(bytes);
        return "a_" + HexFormat.of().formatHex(bytes);
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
