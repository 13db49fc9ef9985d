package dev.myelin.federation.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** DNS from maps, recording every query, so no test touches real DNS. */
final class FakeDns implements FederationDns {
    private final Map<String, List<InetAddress>> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<SrvRecord>> srv = new ConcurrentHashMap<>();
    final List<String> srvQueries = Collections.synchronizedList(new ArrayList<>());

    FakeDns address(String host, String address) {
        try {
            // with the name attached, as the system resolver returns them: the TLS layer checks
            // the certificate against it
            addresses.put(
                    host,
                    List.of(InetAddress.getByAddress(
                            host, InetAddress.getByName(address).getAddress())));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    FakeDns srv(String name, SrvRecord... records) {
        srv.put(name, List.of(records));
        return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> found = addresses.get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        return found;
    }

    @Override
    public List<SrvRecord> srv(String name) {
        srvQueries.add(name);
        return srv.getOrDefault(name, List.of());
    }
}
