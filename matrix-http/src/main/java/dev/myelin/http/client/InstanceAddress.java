package dev.myelin.http.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a named process of this homeserver (the main process or a worker) listens for internal
 * HTTP requests, as in Synapse's {@code instance_map}. {@link MatrixHttpClient} sends
 * {@code replication://<instance>/<path>} requests there.
 *
 * <p>These destinations are configuration, not user input, so they bypass the
 * {@link IpBlocklist} and any proxy; nothing else does.
 *
 * @see <a href="https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html#instance_map">Synapse instance_map</a>
 */
public sealed interface InstanceAddress {

    /** Plain HTTP over TCP to {@code host:port}. */
    record Tcp(String host, int port) implements InstanceAddress {
        /** Checks the port is a TCP port (1 to 65535). */
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port " + port);
            }
        }
    }

    /** Plain HTTP over the UNIX domain socket at {@code socket}. */
    record UnixSocket(Path socket) implements InstanceAddress {
        /** Requires a socket path. */
        public UnixSocket {
            Objects.requireNonNull(socket, "socket");
        }
    }
}
