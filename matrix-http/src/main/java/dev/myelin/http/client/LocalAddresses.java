package dev.myelin.http.client;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;

/**
 * The addresses of this machine's own network interfaces, which the outbound client refuses like
 * loopback (a request to them reaches services on this machine). Read again on each resolution,
 * so addresses gained later (DHCP, a new container network) are covered too; a seam so tests can
 * name addresses without configuring interfaces.
 */
@FunctionalInterface
interface LocalAddresses {

    /** The current addresses; failing to read them fails the request rather than allowing it. */
    List<InetAddress> current();

    /** The interfaces' addresses as the operating system reports them. */
    static LocalAddresses system() {
        return () -> {
            try {
                return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                        .flatMap(NetworkInterface::inetAddresses)
                        .toList();
            } catch (SocketException e) {
                throw new UncheckedIOException("cannot list this machine's network interfaces", e);
            }
        };
    }
}
