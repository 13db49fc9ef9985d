package dev.myelin.testing.workers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on loopback, for processes that must be told their port before they start. */
final class FreePorts {
    private FreePorts() {}

    /** One free port. */
    static int next() throws IOException {
        return next(1).get(0);
    }

    /**
     * {@code count} distinct free ports: every socket stays bound until all are chosen, so the
     * system cannot hand the same port out twice.
     */
    static List<Integer> next(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
