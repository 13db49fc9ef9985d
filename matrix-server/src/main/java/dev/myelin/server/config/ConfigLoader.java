package dev.myelin.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.http.client.InstanceAddress;
import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.IpRange;
import dev.myelin.http.client.TrustedCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code homeserver.yaml}. Invalid values stop start-up with a {@link ConfigException}
 * naming the file and key; unknown keys are only warned about, because configs are often shared
 * with Synapse and carry settings we do not implement yet.
 *
 * <p>Several files may make up one configuration, as Synapse reads several {@code --config-path}:
 * they are read in order, and a later file's top-level key replaces the earlier files' value of
 * that key whole (a worker's file over the shared {@code homeserver.yaml}). Relative paths resolve
 * against the directory of the file that gave the key, and messages name that file.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    /** Default bucket sizes, close to Synapse's defaults. */
    static final Map<String, RateLimitConfig> DEFAULT_RATE_LIMITS = RateLimitSettings.DEFAULTS;

    private static final Set<String> KNOWN_KEYS = Set.of(
            "server_name",
            "public_baseurl",
            "listeners",
            "database",
            "signing_key_path",
            "old_signing_keys",
            "key_refresh_interval",
            "enable_registration",
            "enable_registration_without_verification",
            "registration_shared_secret",
            "media_store_path",
            "server_notices",
            "support",
            "max_upload_size",
            "default_room_version",
            "bcrypt_rounds",
            "log_config",
            "pid_file",
            "report_stats",
            "macaroon_secret_key",
            "form_secret",
            "trusted_key_servers",
            "suppress_key_server_warning",
            "presence",
            "use_presence",
            "app_service_config_files",
            "enable_metrics",
            "registration_requires_token",
            "allow_guest_access",
            "email",
            "registrations_require_3pid",
            "enable_3pid_changes",
            "disable_msisdn_registration",
            "enable_3pid_lookup",
            "rc_message",
            "rc_registration",
            "rc_login",
            "rc_joins",
            "rc_invites",
            "rc_admin_redaction",
            "rc_3pid_validation",
            "rc_key_requests",
            "rc_federation",
            "rc_media_create",
            "rc_presence",
            "rc_delayed_event_mgmt",
            "rc_reports",
            "rc_room_creation",
            "rc_to_device",
            "rc_typing",
            "tls_certificate_path",
            "tls_private_key_path",
            "http_timeouts",
            // media repository
            "enable_authenticated_media",
            "url_preview_enabled",
            "url_preview_ip_range_blacklist",
            "url_preview_ip_range_blocklist",
            "url_preview_ip_range_whitelist",
            "url_preview_ip_range_allowlist",
            "max_spider_size",
            "max_image_pixels",
            "remote_media_download_burst_count",
            "remote_media_download_per_second",
            // outbound requests
            "ip_range_blacklist",
            "ip_range_blocklist",
            "ip_range_whitelist",
            "ip_range_allowlist",
            "federation_custom_ca_list",
            "federation_ip_range_blacklist",
            "federation_ip_range_blocklist",
            "federation_verify_certificates",
            "federation_certificate_verification_whitelist",
            "federation_domain_whitelist",
            "allow_public_rooms_over_federation",
            "federation_static_dns",
            "use_insecure_ssl_client_just_for_testing_do_not_use",
            // outbound federation: retries and backoff
            "federation");
    private static final Set<String> ALL_KEYS = allKeys();
    private static final Set<String> LISTENER_KEYS =
            Set.of("port", "bind_addresses", "type", "tls", "x_forwarded", "resources");

    /** What an empty blocked list allows of the machine's own addresses: its loopback ones. */
    private static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    private final Consumer<String> warnings;
    private final FederationConfigReader federation;

    public ConfigLoader() {
        this(message -> LOG.warn(message));
    }

    /** A loader that sends warnings (unknown keys, ignored settings) to {@code warnings}. */
    public ConfigLoader(Consumer<String> warnings) {
        this.warnings = warnings;
        this.federation = new FederationConfigReader(warnings);
    }

    public HomeserverConfig load(Path file) {
        return load(List.of(file));
    }

    /** Reads {@code files} in order, each later one's top-level keys replacing the earlier ones'. */
    public HomeserverConfig load(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no config file");
        }
        List<ConfigSource> sources = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new ConfigException(file + ": config file does not exist (generate one with generate-config)");
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
            }
            Path dir = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(Path.of("."));
            sources.add(new ConfigSource(file.toString(), text, dir));
        }
        return parse(sources);
    }

    /** Parses YAML text; {@code name} is used in error messages, {@code dir} resolves relative paths. */
    public HomeserverConfig parse(String name, String yaml, Path dir) {
        return parse(List.of(new ConfigSource(name, yaml, dir)));
    }

    /**
     * Parses several files' text as one configuration: each later source's top-level keys replace
     * the earlier ones' (see the class comment).
     */
    public HomeserverConfig parse(List<ConfigSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no config source");
        }
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        Map<String, ConfigNode.Origin> origins = new HashMap<>();
        for (ConfigSource source : sources) {
            ConfigNode.Origin origin = new ConfigNode.Origin(source.name(), source.dir());
            for (Iterator<Map.Entry<String, JsonNode>> it = tree(source).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                merged.set(entry.getKey(), entry.getValue());
                origins.put(entry.getKey(), origin);
            }
        }
        ConfigSource first = sources.getFirst();
        ConfigNode root = new ConfigNode(new ConfigNode.Origin(first.name(), first.dir()), origins, merged);
        String files =
                String.join(", ", sources.stream().map(ConfigSource::name).toList());
        return build(root, files);
    }

    private static JsonNode tree(ConfigSource source) {
        String name = source.name();
        JsonNode tree;
        try {
            tree = YamlTree.read(source.yaml());
        } catch (JacksonException e) {
            throw new ConfigException(name + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (ConfigException e) {
            throw new ConfigException(name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read YAML: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(name + ": the config must be a YAML mapping of keys to values");
        }
        return tree;
    }

    private HomeserverConfig build(ConfigNode root, String files) {
        root.unknownKeys(
                ALL_KEYS, key -> warnings.accept(root.get(key).file() + ": unknown key '" + key + "' is ignored"));
        WorkerConfig workers = WorkerSettings.read(root, warnings);

        String serverName = root.get("server_name").requiredString();
        try {
            ServerName.parse(serverName);
        } catch (InvalidIdentifierException e) {
            throw root.get("server_name").error("is not a valid server name: " + e.getMessage());
        }
        String publicBaseUrl = root.get("public_baseurl").string().orElse("https://" + serverName + "/");
        if (!publicBaseUrl.startsWith("http://") && !publicBaseUrl.startsWith("https://")) {
            throw root.get("public_baseurl").error("must be an http:// or https:// URL");
        }
        if (!publicBaseUrl.endsWith("/")) {
            publicBaseUrl = publicBaseUrl + "/";
        }

        List<ListenerConfig> listeners = listeners(listenersNode(root, workers));

        ConfigNode database = root.get("database");
        database.requireObject();
        Map<String, Object> databaseMap = database.isPresent()
                ? database.asMap()
                : Map.of(
                        "name",
                        "sqlite3",
                        "args",
                        Map.of(
                                "database",
                                database.dir().resolve("homeserver.db").toString()));
        WorkerSettings.check(workers, databaseMap, files);

        ConfigNode signingKeyNode = root.get("signing_key_path");
        Path signingKey = signingKeyNode.dir().resolve(signingKeyNode.string().orElse(serverName + ".signing.key"));
        ConfigNode mediaNode = root.get("media_store_path");
        Path media = mediaNode.dir().resolve(mediaNode.string().orElse("media_store"));
        long maxUpload = ByteSize.parse(root.get("max_upload_size"), 50L * 1024 * 1024);

        String roomVersion = root.get("default_room_version").string().orElse(RoomVersions.DEFAULT.id());
        if (RoomVersions.find(roomVersion).filter(v -> v.stable()).isEmpty()) {
            throw root.get("default_room_version").error("is not a known stable room version: " + roomVersion);
        }

        Optional<String> sharedSecret = root.get("registration_shared_secret").string();
        Optional<Path> logConfig = root.get("log_config").resolvedPath();
        if (!workers.isMain() && root.get("worker_log_config").isPresent()) {
            logConfig = root.get("worker_log_config").resolvedPath();
        }

        Optional<Path> tlsCertificate = root.get("tls_certificate_path").resolvedPath();
        Optional<Path> tlsKey = root.get("tls_private_key_path").resolvedPath();
        if (listeners.stream().anyMatch(ListenerConfig::tls)) {
            if (tlsCertificate.isEmpty()) {
                throw root.get("tls_certificate_path").error("is required when a listener has tls: true");
            }
            if (tlsKey.isEmpty()) {
                throw root.get("tls_private_key_path").error("is required when a listener has tls: true");
            }
        }

        boolean enableMetrics = root.get("enable_metrics").bool(false);
        if (!enableMetrics && listeners.stream().anyMatch(l -> l.serves("metrics"))) {
            warnings.accept("a listener serves 'metrics' but enable_metrics is not true: no metrics are served");
        }
        return new HomeserverConfig(
                serverName,
                publicBaseUrl,
                listeners,
                databaseMap,
                signingKey,
                root.get("enable_registration").bool(false),
                root.get("enable_registration_without_verification").bool(false),
                sharedSecret,
                media,
                maxUpload,
                roomVersion,
                RateLimitSettings.read(root),
                logConfig,
                // a relative SQLite path is relative to the file that names the database
                database.dir(),
                tlsCertificate,
                tlsKey,
                media(root),
                connectionTimeouts(root.get("http_timeouts")),
                outbound(root, workers),
                (int) root.get("bcrypt_rounds").integer(12, 4, 31),
                federation.serverKeys(root),
                federation.federationRetry(root.get("federation")),
                federation.federationSettings(root),
                presenceEnabled(root),
                workers,
                AppServiceRegistrations.load(
                        root.get("app_service_config_files"), ServerName.parse(serverName), warnings),
                enableMetrics,
                root.get("registration_requires_token").bool(false),
                ServerNoticesConfig.read(root.get("server_notices")),
                SupportConfig.read(root.get("support")),
                root.get("allow_guest_access").bool(false),
                ThreePidConfig.read(root, warnings));
    }

    /**
     * A worker's listeners are its {@code worker_listeners} when it has them, as Synapse's
     * workers; the main process's are {@code listeners}.
     */
    private ConfigNode listenersNode(ConfigNode root, WorkerConfig workers) {
        ConfigNode workerListeners = root.get("worker_listeners");
        if (!workerListeners.isPresent()) {
            return root.get("listeners");
        }
        if (workers.isMain()) {
            warnings.accept(workerListeners.file()
                    + ": 'worker_listeners' is ignored: this is the main process, whose listeners are 'listeners'");
            return root.get("listeners");
        }
        return workerListeners;
    }

    private static Set<String> allKeys() {
        Set<String> keys = new HashSet<>(KNOWN_KEYS);
        keys.addAll(WorkerSettings.KEYS);
        return Set.copyOf(keys);
    }

    /** {@code presence: {enabled: ...}}, else Synapse's older {@code use_presence}; on by default. */
    private boolean presenceEnabled(ConfigNode root) {
        ConfigNode presence = root.get("presence");
        presence.requireObject();
        presence.unknownKeys(Set.of("enabled"), key -> warnings.accept(key + " is ignored"));
        return presence.get("enabled").bool(root.get("use_presence").bool(true));
    }

    private OutboundSettings outbound(ConfigNode root, WorkerConfig workers) {
        String name =
                root.get("use_insecure_ssl_client_just_for_testing_do_not_use").file();
        if (root.get("use_insecure_ssl_client_just_for_testing_do_not_use").bool(false)) {
            // Turning certificate checks off would let anyone on the path read and forge what push
            // gateways and previewed sites exchange with this server; trusting a test CA through
            // federation_custom_ca_list covers what the setting is used for.
            warnings.accept(
                    name
                            + ": use_insecure_ssl_client_just_for_testing_do_not_use is ignored except for identity servers: outbound "
                            + "TLS is verified unless federation_verify_certificates is false (federation only); list a private CA in federation_custom_ca_list instead");
        }
        // federation_ip_range_blacklist is the name from before the list covered every outbound request
        List<String> blocked = ipRanges(root, "ip_range_blacklist", "ip_range_blocklist")
                .or(() -> ipRanges(root, "federation_ip_range_blacklist", "federation_ip_range_blocklist"))
                .orElse(IpBlocklist.DEFAULT_BLOCKED);
        List<String> allowed =
                ipRanges(root, "ip_range_whitelist", "ip_range_allowlist").orElse(List.of());
        ConfigNode caList = root.get("federation_custom_ca_list");
        List<Path> caFiles =
                caList.stringList().stream().map(caList.dir()::resolve).toList();
        TrustedCertificates trust;
        try {
            trust = TrustedCertificates.fromFiles(caFiles);
        } catch (IllegalArgumentException e) {
            throw caList.error("cannot be used: " + e.getMessage());
        }
        Map<String, InstanceAddress> instances = new LinkedHashMap<>();
        workers.instanceMap().forEach((instance, endpoint) -> instances.put(instance, endpoint.address()));
        return new OutboundSettings(blocked, withLoopbackIfEmpty(blocked, allowed), trust, instances);
    }

    /**
     * The allowed ranges, with loopback added when the blocked list was set to nothing at all.
     * Otherwise the machine's own addresses stay refused whatever the blocked list leaves out
     * (see {@link IpBlocklist}), which guards against a list written without them; an empty list
     * is no such slip but the operator saying "block nothing", and Synapse, whose configs are
     * carried over, then reaches loopback services (a push gateway or a test server next to it).
     */
    private static List<String> withLoopbackIfEmpty(List<String> blocked, List<String> allowed) {
        if (!blocked.isEmpty()) {
            return allowed;
        }
        List<String> withLoopback = new ArrayList<>(allowed);
        withLoopback.addAll(LOOPBACK);
        return withLoopback;
    }

    private ConnectionTimeouts connectionTimeouts(ConfigNode node) {
        String name = node.file();
        node.requireObject();
        node.unknownKeys(
                Set.of("idle", "request_headers", "request_body"),
                key -> warnings.accept(name + ": unknown key '" + key + "' is ignored"));
        ConnectionTimeouts defaults = ConnectionTimeouts.DEFAULT;
        return new ConnectionTimeouts(
                DurationValue.parse(node.get("idle"), defaults.idle()),
                DurationValue.parse(node.get("request_headers"), defaults.requestHeaders()),
                DurationValue.parse(node.get("request_body"), defaults.requestBody()));
    }

    private static MediaConfig media(ConfigNode root) {
        List<String> blocked = ipRanges(root, "url_preview_ip_range_blacklist", "url_preview_ip_range_blocklist")
                .orElse(IpBlocklist.DEFAULT_BLOCKED);
        List<String> allowed = ipRanges(root, "url_preview_ip_range_whitelist", "url_preview_ip_range_allowlist")
                .orElse(List.of());
        return new MediaConfig(
                root.get("enable_authenticated_media").bool(true),
                root.get("url_preview_enabled").bool(false),
                blocked,
                withLoopbackIfEmpty(blocked, allowed),
                ByteSize.parse(root.get("max_spider_size"), 10L * 1024 * 1024),
                ByteSize.parse(root.get("max_image_pixels"), 32L * 1024 * 1024),
                ByteSize.parse(root.get("remote_media_download_burst_count"), 500L * 1024 * 1024),
                ByteSize.parse(root.get("remote_media_download_per_second"), 87L * 1024));
    }

    /** A list of CIDR ranges under either of two spellings of one key (not both), each range checked. */
    private static Optional<List<String>> ipRanges(ConfigNode root, String key, String alias) {
        ConfigNode node = root.get(key);
        if (root.get(alias).isPresent()) {
            if (node.isPresent()) {
                throw root.get(alias).error("must not be set together with " + key);
            }
            node = root.get(alias);
        }
        if (!node.isPresent()) {
            return Optional.empty();
        }
        List<String> ranges = node.stringList();
        for (String range : ranges) {
            try {
                IpRange.parse(range);
            } catch (IllegalArgumentException e) {
                throw node.error("holds '" + range + "', which is not an IP address or CIDR range");
            }
        }
        return Optional.of(ranges);
    }

    private List<ListenerConfig> listeners(ConfigNode node) {
        String name = node.file();
        List<ConfigNode> items = node.list();
        if (items.isEmpty()) {
            return List.of(
                    new ListenerConfig(8008, List.of("127.0.0.1"), false, false, Set.of("client", "federation")));
        }
        List<ListenerConfig> listeners = new ArrayList<>();
        for (ConfigNode item : items) {
            item.requireObject();
            item.unknownKeys(LISTENER_KEYS, key -> warnings.accept(name + ": unknown key '" + key + "' is ignored"));
            int port = (int) item.get("port").integer(-1, 0, 65535);
            if (port < 0) {
                throw item.get("port").error("is required");
            }
            String type = item.get("type").string().orElse("http");
            if (!type.equals("http") && !type.equals("metrics")) {
                throw item.get("type").error("must be 'http' or 'metrics' (other listener types are not supported)");
            }
            List<String> bind = item.get("bind_addresses").stringList();
            if (bind.isEmpty()) {
                bind = List.of("::1", "127.0.0.1");
            }
            Set<String> resources = new HashSet<>();
            for (ConfigNode resource : item.get("resources").list()) {
                resource.requireObject();
                for (String resourceName : resource.get("names").stringList()) {
                    if (!ListenerConfig.KNOWN_RESOURCES.contains(resourceName)) {
                        throw resource.get("names").error("holds unknown resource '" + resourceName + "'");
                    }
                    resources.add(resourceName);
                }
            }
            if (type.equals("metrics")) {
                // Synapse's metrics listener: the metrics alone, whatever resources it lists
                resources.clear();
                resources.add("metrics");
            } else if (resources.isEmpty()) {
                resources.add("client");
            }
            listeners.add(new ListenerConfig(
                    port,
                    bind,
                    item.get("tls").bool(false),
                    item.get("x_forwarded").bool(false),
                    resources));
        }
        return listeners;
    }
}
