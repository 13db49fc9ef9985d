package dev.myelin.replication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a connection's losses and recoveries once each, not once per retry, so an outage of an
 * hour is two log lines and not thousands. Confined to the one thread that owns the connection.
 */
final class ConnectionLog {

    private static final Logger LOG = LoggerFactory.getLogger(RedisReplication.class);

    private final String role;
    private final String address;
    private boolean everConnected;
    private boolean down;

    ConnectionLog(String role, String address) {
        this.role = role;
        this.address = address;
    }

    void connected() {
        if (down) {
            LOG.info("Replication {} reconnected to Redis at {}", role, address);
        } else if (!everConnected) {
            LOG.info("Replication {} connected to Redis at {}", role, address);
        }
        everConnected = true;
        down = false;
    }

    void failed(RuntimeException cause) {
        if (down) {
            LOG.debug("Replication {}: Redis at {} still unreachable: {}", role, address, cause.toString());
            return;
        }
        down = true;
        if (everConnected) {
            LOG.warn(
                    "Replication {} lost its connection to Redis at {} ({}); reconnecting",
                    role,
                    address,
                    cause.toString());
        } else {
            LOG.warn("Replication {} cannot connect to Redis at {} ({}); retrying", role, address, cause.toString());
        }
    }
}
