package dev.myelin.federation.discovery;

import dev.myelin.http.client.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * SRV lookups through the JDK's JNDI DNS provider, the only DNS client in the JDK that reads
 * record types other than A and AAAA. The provider ({@code jdk.naming.dns}) is bound as a service
 * of {@code java.naming}, so it is present whenever this module is.
 */
final class JndiFederationDns implements FederationDns {

    /** The provider URL meaning "the servers the operating system is configured with". */
    static final String SYSTEM_SERVERS = "dns:";

    private final String providerUrl;
    private final HostResolver hosts;

    /**
     * @param providerUrl {@code dns:} for the system's servers, or {@code dns://host:port} for one
     *     server (tests run one on loopback)
     * @param hosts answers address lookups
     */
    JndiFederationDns(String providerUrl, HostResolver hosts) {
        this.providerUrl = providerUrl;
        this.hosts = hosts;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return hosts.resolve(host);
    }

    @Override
    public List<SrvRecord> srv(String name) {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, providerUrl);
        // the provider's defaults (1 s, doubled over 4 retries) would hold a request up for 15 s
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attribute srv = context.getAttributes(name, new String[] {"SRV"}).get("SRV");
            List<SrvRecord> records = new ArrayList<>();
            if (srv == null) {
                return records;
            }
            NamingEnumeration<?> values = srv.getAll();
            while (values.hasMore()) {
                records.add(parse(name, String.valueOf(values.next())));
            }
            return records;
        } catch (NameNotFoundException e) {
            return List.of();
        } catch (NamingException e) {
            throw new ServerDiscoveryException("SRV lookup of " + name + " failed: " + e.getMessage(), e);
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // nothing is held open by a DNS context
                }
            }
        }
    }

    /** Reads the provider's text form of a record: {@code "priority weight port target"}. */
    private static SrvRecord parse(String name, String text) {
        String[] fields = text.trim().split("\\s+");
        try {
            if (fields.length != 4) {
                throw new IllegalArgumentException("expected four fields");
            }
            return new SrvRecord(
                    Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]), fields[3]);
        } catch (IllegalArgumentException e) {
            throw new ServerDiscoveryException("malformed SRV record for " + name + ": " + text, e);
        }
    }
}
