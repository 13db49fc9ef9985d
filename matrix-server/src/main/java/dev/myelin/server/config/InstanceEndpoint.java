package dev.myelin.server.config;

import dev.myelin.http.client.InstanceAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one process of a multi-process homeserver takes internal HTTP requests (replication
 * calls from the other processes): an entry of Synapse's {@code instance_map}, either
 * {@code {host, port, tls}} or {@code {path}} for a UNIX domain socket.
 */
public sealed interface InstanceEndpoint {

    /** The address the outbound HTTP client sends {@code replication://<instance>/...} requests to. */
    InstanceAddress address();

    /**
     * {@code {host, port, tls}}: HTTP over TCP.
     *
     * @param host the host name or address
     * @param port the TCP port (1 to 65535)
     * @param tls {@code tls}: whether the listener speaks HTTPS (default false)
     */
    record Tcp(String host, int port, boolean tls) implements InstanceEndpoint {
        /** Requires a host and a TCP port. */
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port " + port);
            }
        }

        @Override
        public InstanceAddress address() {
            return new InstanceAddress.Tcp(host, port);
        }
    }

    /**
     * {@code {path}}: HTTP over the UNIX domain socket at {@code path}.
     *
     * @param path the socket file, resolved against the directory of the config file naming it
     */
    record UnixSocket(Path path) implements InstanceEndpoint {
        /** Requires a path. */
        public UnixSocket {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public InstanceAddress address() {
            return new InstanceAddress.UnixSocket(path);
        }
    }
}
