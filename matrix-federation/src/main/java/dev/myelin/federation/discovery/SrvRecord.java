package dev.myelin.federation.discovery;

import java.util.Objects;

/**
 * One DNS SRV record (RFC 2782).
 *
 * @param priority lower is tried first
 * @param weight relative chance among records of equal priority
 * @param port the service's port
 * @param target the host name offering the service, without a trailing dot; {@code "."} alone
 *     means the service is not available at this domain
 */
public record SrvRecord(int priority, int weight, int port, String target) {
    /** Requires 16-bit numbers and a target. */
    public SrvRecord {
        Objects.requireNonNull(target, "target");
        if (priority < 0 || priority > 65535 || weight < 0 || weight > 65535 || port < 0 || port > 65535) {
            throw new IllegalArgumentException("SRV fields must be 16-bit unsigned numbers");
        }
        if (target.length() > 1 && target.endsWith(".")) {
            target = target.substring(0, target.length() - 1);
        }
    }

    /** Whether this record says "no service here" (target {@code .}). */
    public boolean isServiceUnavailable() {
        return target.equals(".") || target.isEmpty();
    }
}
