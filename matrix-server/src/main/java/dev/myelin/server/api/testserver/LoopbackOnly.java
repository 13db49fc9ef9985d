package dev.myelin.server.api.testserver;

import dev.myelin.http.client.IpRange;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import java.util.List;

/**
 * The test endpoints answer only requests from this machine: they can wipe the server, so to any
 * other client they do not exist (404 {@code M_UNRECOGNIZED}, as on a normal server).
 */
final class LoopbackOnly {
    private static final List<IpRange> LOOPBACK = List.of(IpRange.parse("127.0.0.0/8"), IpRange.parse("::1"));

    private LoopbackOnly() {}

    static void check(MatrixRequest request) {
        if (!isLoopback(request.clientIp())) {
            throw MatrixException.unrecognized();
        }
    }

    private static boolean isLoopback(String ip) {
        try {
            // parsed as a literal, with no name lookup
            IpRange client = IpRange.parse(ip);
            return LOOPBACK.stream().anyMatch(range -> range.encloses(client));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
