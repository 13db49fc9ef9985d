package dev.myelin.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the registration files {@code app_service_config_files} names, as Synapse does: each file one
 * application service. A file that cannot be read, lacks a required key, holds a value of the wrong
 * type or a regular expression that does not compile, and services that share an id, a token or an
 * exclusive namespace, stop start-up with a message naming the file.
 */
final class AppServiceRegistrations {
    private static final Set<String> KEYS = Set.of(
            "id",
            "url",
            "as_token",
            "hs_token",
            "sender_localpart",
            "namespaces",
            "rate_limited",
            "protocols",
            "receive_ephemeral",
            "de.sorunome.msc2409.push_ephemeral",
            "push_ephemeral",
            "org.matrix.msc3202",
            "io.element.msc4190");
    private static final Set<String> NAMESPACE_KINDS = Set.of("users", "aliases", "rooms");

    private AppServiceRegistrations() {}

    /** The services of {@code node} ({@code app_service_config_files}), checked against each other. */
    static List<AppServiceRegistration> load(ConfigNode node, ServerName serverName, Consumer<String> warnings) {
        if (!node.isPresent()) {
            return List.of();
        }
        List<AppServiceRegistration> out = new ArrayList<>();
        for (ConfigNode entry : node.list()) {
            Path file = entry.dir().resolve(entry.requiredString());
            out.add(read(file, serverName, warnings));
        }
        checkDistinct(out);
        return List.copyOf(out);
    }

    private static AppServiceRegistration read(Path file, ServerName serverName, Consumer<String> warnings) {
        String name = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("app_service_config_files: " + name + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("app_service_config_files: cannot read " + name + ": " + e.getMessage(), e);
        }
        JsonNode tree;
        try {
            tree = YamlTree.read(yaml);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(name + ": not a YAML registration: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(name + ": an application service registration must be a mapping");
        }
        ConfigNode root = new ConfigNode(name, file.getParent(), tree);
        root.unknownKeys(KEYS, key -> warnings.accept(name + ": unknown key '" + key + "' is ignored"));
        String id = nonEmpty(root, "id");
        String senderLocalpart = nonEmpty(root, "sender_localpart");
        try {
            UserId.of(senderLocalpart, serverName);
        } catch (InvalidIdentifierException e) {
            throw root.get("sender_localpart").error("is not a valid user localpart: " + e.getMessage());
        }
        ConfigNode namespaces = root.get("namespaces");
        if (!namespaces.isPresent()) {
            throw namespaces.error("is required");
        }
        namespaces.requireObject();
        namespaces.unknownKeys(NAMESPACE_KINDS, key -> warnings.accept(name + ": namespaces." + key + " is ignored"));
        boolean ephemeral = root.get("receive_ephemeral")
                .bool(root.get("de.sorunome.msc2409.push_ephemeral")
                        .bool(root.get("push_ephemeral").bool(false)));
        return new AppServiceRegistration(
                id,
                url(root.get("url")),
                nonEmpty(root, "as_token"),
                nonEmpty(root, "hs_token"),
                senderLocalpart,
                namespaceList(namespaces.get("users")),
                namespaceList(namespaces.get("aliases")),
                namespaceList(namespaces.get("rooms")),
                root.get("rate_limited").bool(true),
                root.get("protocols").isPresent() ? root.get("protocols").stringList() : List.of(),
                ephemeral,
                name);
    }

    private static String nonEmpty(ConfigNode root, String key) {
        String value = root.get(key).requiredString();
        if (value.isBlank()) {
            throw root.get(key).error("must not be empty");
        }
        return value;
    }

    /** The {@code url}: null (or left out) when the service wants no traffic; an http(s) URL otherwise. */
    private static Optional<URI> url(ConfigNode node) {
        Optional<String> text = node.string();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw node.error("must be an http or https URL (or null)");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw node.error("is not a URL: " + e.getMessage());
        }
    }

    private static List<AppServiceRegistration.Namespace> namespaceList(ConfigNode node) {
        if (!node.isPresent()) {
            return List.of();
        }
        List<AppServiceRegistration.Namespace> out = new ArrayList<>();
        for (ConfigNode entry : node.list()) {
            entry.requireObject();
            String regex = entry.get("regex").requiredString();
            try {
                out.add(new AppServiceRegistration.Namespace(
                        Pattern.compile(regex), entry.get("exclusive").bool(false)));
            } catch (PatternSyntaxException e) {
                throw entry.get("regex").error("is not a valid regular expression: " + e.getDescription());
            }
        }
        return out;
    }

    /** Ids, tokens and exclusive namespaces belong to one service each; no service's user is a user's. */
    private static void checkDistinct(List<AppServiceRegistration> services) {
        for (AppServiceRegistration s : services) {
            if (s.asToken().equals(s.hsToken())) {
                throw new ConfigException(s.file() + ": as_token and hs_token must differ");
            }
        }
        Map<String, String> ids = new HashMap<>();
        Map<String, String> tokens = new HashMap<>();
        Map<String, String> senders = new HashMap<>();
        for (AppServiceRegistration s : services) {
            claim(ids, s.id(), s, "the id '" + s.id() + "'");
            claim(tokens, s.asToken(), s, "an as_token");
            claim(tokens, s.hsToken(), s, "an hs_token");
            claim(senders, s.senderLocalpart(), s, "the sender_localpart '" + s.senderLocalpart() + "'");
        }
        for (int i = 0; i < services.size(); i++) {
            for (int j = i + 1; j < services.size(); j++) {
                checkExclusive(services.get(j), services.get(i), "users", AppServiceRegistration::users);
                checkExclusive(services.get(j), services.get(i), "aliases", AppServiceRegistration::aliases);
                checkExclusive(services.get(j), services.get(i), "rooms", AppServiceRegistration::rooms);
            }
        }
    }

    /**
     * Two exclusive namespaces of different services may not share an id: it would belong to both.
     * A service that is only interested (a non-exclusive namespace, such as a bot watching every
     * user) may overlap anything.
     */
    private static void checkExclusive(
            AppServiceRegistration later,
            AppServiceRegistration earlier,
            String kind,
            java.util.function.Function<AppServiceRegistration, List<AppServiceRegistration.Namespace>> namespaces) {
        for (AppServiceRegistration.Namespace a : namespaces.apply(later)) {
            for (AppServiceRegistration.Namespace b : namespaces.apply(earlier)) {
                if (!a.exclusive() || !b.exclusive()) {
                    continue;
                }
                Optional<String> shared = NamespaceOverlap.witness(a.regex(), b.regex());
                if (shared.isPresent()) {
                    String what = a.regex().pattern().equals(b.regex().pattern())
                            ? "the exclusive namespace '" + a.regex() + "'"
                            : "overlapping exclusive " + kind + " namespaces ('" + a.regex() + "' and '" + b.regex()
                                    + "' both hold " + shared.get() + ")";
                    throw new ConfigException("app_service_config_files: " + later.file() + " and " + earlier.file()
                            + " share " + what + "; each application service needs its own");
                }
            }
        }
    }

    private static void claim(Map<String, String> taken, String value, AppServiceRegistration s, String what) {
        String before = taken.putIfAbsent(value, s.file());
        if (before != null) {
            throw new ConfigException("app_service_config_files: " + s.file() + " and " + before + " share " + what
                    + "; each application service needs its own");
        }
    }
}
