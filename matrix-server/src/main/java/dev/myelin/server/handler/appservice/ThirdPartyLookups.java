package dev.myelin.server.handler.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.config.AppServiceRegistration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Third-party networks as the application services bridging them describe them: the protocols
 * they declare in their registration ({@code protocols}), and the users and locations they find
 * on those networks. Services are asked concurrently; one that is down, slow or answers something
 * else than the Application Service API says is left out of the answer (and logged), never an
 * error for the client.
 *
 * <p>A protocol's metadata is kept for an hour per service, as Synapse does: it describes the
 * bridge, which rarely changes, and clients ask for it often. Each instance with a {@code
 * network_id} is given an {@code instance_id} of the form {@code <service id>|<network id>}, the
 * {@code third_party_instance_id} that selects the service's room directory list.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#third-party-networks">Third-party networks</a>
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#third-party-networks">Application Service API</a>
 */
public final class ThirdPartyLookups {
    private static final Logger LOG = LoggerFactory.getLogger(ThirdPartyLookups.class);
    private static final Duration KEEP_PROTOCOLS_FOR = Duration.ofHours(1);

    /** What is looked up: users (found by {@code userid}) or locations (found by {@code alias}). */
    public enum Kind {
        USER("user", "userid"),
        LOCATION("location", "alias");

        private final String path;
        private final String matrixField;

        Kind(String path, String matrixField) {
            this.path = path;
            this.matrixField = matrixField;
        }
    }

    private record Known(String service, String protocol) {}

    private record Kept(ObjectNode info, long fetchedAtMs) {}

    private final AppServices services;
    private final AppServiceClient client;
    private final Clock clock;
    private final Map<Known, Kept> protocols = new ConcurrentHashMap<>();

    public ThirdPartyLookups(AppServices services, AppServiceClient client, Clock clock) {
        this.services = services;
        this.client = client;
        this.clock = clock;
    }

    /** Every declared protocol that at least one service described, by name. */
    public Map<String, ObjectNode> protocols() {
        List<String> names = services.all().stream()
                .flatMap(s -> s.protocols().stream())
                .distinct()
                .toList();
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (String name : names) {
            protocol(name).ifPresent(info -> out.put(name, info));
        }
        return out;
    }

    /**
     * The protocol as its services describe it: the first description's fields, with the {@code
     * instances} of all of them; empty when no service declares it or none described it.
     */
    public Optional<ObjectNode> protocol(String protocol) {
        List<ObjectNode> infos = eachService(
                services.forProtocol(protocol),
                s -> describe(s, protocol).stream().toList());
        if (infos.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode merged = infos.getFirst().deepCopy();
        ArrayNode instances = merged.putArray("instances");
        infos.forEach(info -> info.get("instances").forEach(i -> instances.add(i.deepCopy())));
        return Optional.of(merged);
    }

    /**
     * The users or locations of {@code protocol} matching {@code fields} (passed on as they are),
     * from every service declaring it, in the order of the registrations.
     */
    public List<JsonNode> lookup(Kind kind, String protocol, Map<String, List<String>> fields) {
        return eachService(
                services.forProtocol(protocol),
                s -> results(s, kind, client.thirdPartyLookup(s, kind.path, Optional.of(protocol), fields)));
    }

    /**
     * The third-party users or locations behind a Matrix user id or room alias ({@code value}),
     * from every service that bridges a protocol.
     */
    public List<JsonNode> reverseLookup(Kind kind, String value) {
        List<AppServiceRegistration> bridges =
                services.all().stream().filter(s -> !s.protocols().isEmpty()).toList();
        Map<String, List<String>> query = Map.of(kind.matrixField, List.of(value));
        return eachService(
                bridges, s -> results(s, kind, client.thirdPartyLookup(s, kind.path, Optional.empty(), query)));
    }

    private Optional<ObjectNode> describe(AppServiceRegistration service, String protocol) {
        Known key = new Known(service.id(), protocol);
        Kept kept = protocols.get(key);
        long now = clock.nowMillis();
        if (kept != null && now - kept.fetchedAtMs() < KEEP_PROTOCOLS_FOR.toMillis()) {
            return Optional.of(kept.info());
        }
        AppServiceClient.Answer answer = client.protocol(service, protocol);
        if (!answer.ok()
                || !(answer.body() instanceof ObjectNode info)
                || !(info.get("instances") instanceof ArrayNode instances)) {
            LOG.warn("application service {} gave no protocol description of {}", service.id(), protocol);
            return Optional.empty();
        }
        for (JsonNode instance : instances) {
            if (instance instanceof ObjectNode i && i.path("network_id").isTextual()) {
                i.put("instance_id", service.id() + "|" + i.get("network_id").textValue());
            }
        }
        protocols.put(key, new Kept(info, now));
        return Optional.of(info);
    }

    /** The well-formed entries of a lookup's answer: objects with the protocol, the Matrix id and fields. */
    private static List<JsonNode> results(AppServiceRegistration service, Kind kind, AppServiceClient.Answer answer) {
        if (!answer.ok() || !(answer.body() instanceof ArrayNode entries)) {
            LOG.warn("application service {} gave no list of third-party {}s", service.id(), kind.path);
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (entry.path("protocol").isTextual()
                    && entry.path(kind.matrixField).isTextual()
                    && entry.path("fields").isObject()) {
                out.add(entry);
            } else {
                LOG.warn("application service {} gave a malformed third-party {}", service.id(), kind.path);
            }
        }
        return out;
    }

    /**
     * Asks each service at once, and gathers their answers in the order of the services; a service
     * whose call fails (unreachable, timed out) adds nothing.
     */
    private static <T> List<T> eachService(
            List<AppServiceRegistration> services, Function<AppServiceRegistration, List<T>> ask) {
        if (services.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<T>>> answers = new ArrayList<>();
            for (AppServiceRegistration service : services) {
                answers.add(pool.submit(() -> ask.apply(service)));
            }
            for (int i = 0; i < answers.size(); i++) {
                try {
                    out.addAll(answers.get(i).get());
                } catch (ExecutionException e) {
                    LOG.warn(
                            "application service {} could not be asked: {}",
                            services.get(i).id(),
                            e.getCause().toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("Interrupted while asking application services");
        }
        return out;
    }
}
