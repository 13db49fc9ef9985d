package dev.myelin.server.config;

import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.federation.backoff.FederationRetryConfig;
import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.federation.discovery.StaticFederationDns;
import dev.myelin.federation.keys.OldVerifyKey;
import dev.myelin.federation.keys.TrustedKeyServer;
import dev.myelin.federation.ratelimit.FederationRateLimitConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The federation part of {@code homeserver.yaml}: certificate checks, the domain whitelist, static
 * DNS, the inbound rate limit, server keys (own old keys and trusted key servers) and retries.
 */
final class FederationConfigReader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final ServerName MATRIX_ORG = ServerName.parse("matrix.org");

    private final Consumer<String> warnings;

    FederationConfigReader(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /**
     * {@code federation_verify_certificates}, {@code federation_certificate_verification_whitelist},
     * {@code federation_domain_whitelist} and {@code federation_static_dns}.
     */
    FederationSettings federationSettings(ConfigNode root) {
        ConfigNode domains = root.get("federation_domain_whitelist");
        FederationDomainWhitelist whitelist = FederationDomainWhitelist.everyone();
        if (domains.isPresent()) {
            Set<ServerName> servers = new LinkedHashSet<>();
            for (String domain : domains.stringList()) {
                if (!ServerName.isValid(domain)) {
                    throw domains.error("holds '" + domain + "', which is not a server name");
                }
                servers.add(ServerName.parse(domain));
            }
            whitelist = FederationDomainWhitelist.only(servers);
        }
        ConfigNode dnsNode = root.get("federation_static_dns");
        Optional<StaticFederationDns> dns = Optional.empty();
        if (dnsNode.isPresent()) {
            dnsNode.requireObject();
            dnsNode.unknownKeys(
                    Set.of("hosts", "srv"),
                    key -> warnings.accept(dnsNode.file() + ": unknown key '" + key + "' is ignored"));
            try {
                dns = Optional.of(
                        StaticFederationDns.parse(stringLists(dnsNode.get("hosts")), stringLists(dnsNode.get("srv"))));
            } catch (IllegalArgumentException e) {
                throw dnsNode.error(e.getMessage());
            }
        }
        return new FederationSettings(
                root.get("federation_verify_certificates").bool(true),
                root.get("federation_certificate_verification_whitelist").stringList(),
                whitelist,
                dns,
                federationRateLimit(root.get("rc_federation")),
                root.get("allow_public_rooms_over_federation").bool(false));
    }

    /** {@code rc_federation}, with Synapse's keys and defaults; times in milliseconds. */
    private FederationRateLimitConfig federationRateLimit(ConfigNode node) {
        node.requireObject();
        node.unknownKeys(
                Set.of("window_size", "sleep_limit", "sleep_delay", "reject_limit", "concurrent"),
                key -> warnings.accept(node.path() + "." + key + " is ignored"));
        FederationRateLimitConfig defaults = FederationRateLimitConfig.DEFAULTS;
        return new FederationRateLimitConfig(
                Duration.ofMillis(
                        node.get("window_size").integer(defaults.window().toMillis(), 1, Long.MAX_VALUE)),
                (int) node.get("sleep_limit").integer(defaults.sleepLimit(), 1, Integer.MAX_VALUE),
                Duration.ofMillis(
                        node.get("sleep_delay").integer(defaults.sleepDelay().toMillis(), 0, Long.MAX_VALUE)),
                (int) node.get("reject_limit").integer(defaults.rejectLimit(), 0, Integer.MAX_VALUE),
                (int) node.get("concurrent").integer(defaults.concurrent(), 1, Integer.MAX_VALUE));
    }

    /** An object whose values are strings or lists of strings, as lists. */
    private static Map<String, List<String>> stringLists(ConfigNode node) {
        node.requireObject();
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (!node.isPresent()) {
            return out;
        }
        for (Map.Entry<String, Object> entry : node.asMap().entrySet()) {
            ConfigNode value = node.get(entry.getKey());
            out.put(entry.getKey(), value.isArray() ? value.stringList() : List.of(value.requiredString()));
        }
        return out;
    }

    /**
     * {@code old_signing_keys} in Synapse's shape, {@code {"ed25519:id": {key: <base64 verify key>,
     * expired_ts: <ms>}}}, and {@code key_refresh_interval}. Keys of algorithms other than ed25519
     * are skipped with a warning, as Synapse skips them.
     */
    ServerKeysConfig serverKeys(ConfigNode root) {
        ConfigNode old = root.get("old_signing_keys");
        String name = old.file();
        Map<SigningKeyId, OldVerifyKey> oldKeys = new LinkedHashMap<>();
        for (String id : old.asMap().keySet()) {
            ConfigNode entry = old.get(id);
            SigningKeyId keyId;
            try {
                keyId = SigningKeyId.parse(id);
            } catch (InvalidIdentifierException e) {
                throw old.error("holds '" + id + "', which is not a key id such as ed25519:abc: " + e.getMessage());
            }
            if (!SigningKeyId.ED25519.equals(keyId.algorithm())) {
                warnings.accept(name + ": old_signing_keys." + id + " is ignored: only ed25519 keys are supported");
                continue;
            }
            entry.requireObject();
            if (!entry.isPresent()) {
                throw entry.error("must be a mapping with key and expired_ts");
            }
            entry.unknownKeys(
                    Set.of("key", "expired_ts"),
                    key -> warnings.accept(name + ": unknown key '" + key + "' is ignored"));
            VerifyKey key;
            try {
                key = VerifyKey.fromBase64(entry.get("key").requiredString());
            } catch (IllegalArgumentException e) {
                throw entry.get("key").error("is not a base64 ed25519 verify key: " + e.getMessage());
            }
            long expiredTs = entry.get("expired_ts").integer(-1, 0, Long.MAX_VALUE);
            if (expiredTs < 0) {
                throw entry.get("expired_ts").error("is required (milliseconds since the epoch)");
            }
            oldKeys.put(keyId, new OldVerifyKey(key, expiredTs));
        }
        Duration refresh =
                DurationValue.parse(root.get("key_refresh_interval"), ServerKeysConfig.DEFAULT.keyRefreshInterval());
        List<TrustedKeyServer> notaries = trustedKeyServers(root.get("trusted_key_servers"));
        if (!root.get("suppress_key_server_warning").bool(false)
                && notaries.stream().anyMatch(n -> n.serverName().equals(MATRIX_ORG))) {
            // logged rather than a config warning: it is the default, not a mistake in the file
            LOG.warn(
                    "This server trusts matrix.org (trusted_key_servers) to vouch for other servers' signing keys: "
                            + "it could make this server accept forged events. Set trusted_key_servers to notaries you trust "
                            + "(or [] for none), or suppress_key_server_warning: true to keep matrix.org without this warning.");
        }
        return new ServerKeysConfig(oldKeys, refresh, notaries);
    }

    /**
     * {@code trusted_key_servers} in Synapse's shape: a list of {@code {server_name, verify_keys:
     * {"ed25519:id": <base64>}, accept_keys_insecurely}}; absent means matrix.org, an empty list
     * no notary at all.
     */
    private List<TrustedKeyServer> trustedKeyServers(ConfigNode node) {
        if (!node.isPresent()) {
            return ServerKeysConfig.DEFAULT_TRUSTED_KEY_SERVERS;
        }
        List<TrustedKeyServer> out = new ArrayList<>();
        for (ConfigNode entry : node.list()) {
            entry.requireObject();
            ServerName name;
            try {
                name = ServerName.parse(entry.get("server_name").requiredString());
            } catch (InvalidIdentifierException e) {
                throw entry.get("server_name").error("is not a server name: " + e.getMessage());
            }
            ConfigNode keys = entry.get("verify_keys");
            keys.requireObject();
            Map<SigningKeyId, VerifyKey> verifyKeys = new LinkedHashMap<>();
            for (String id : keys.asMap().keySet()) {
                try {
                    verifyKeys.put(
                            SigningKeyId.parse(id),
                            VerifyKey.fromBase64(keys.get(id).requiredString()));
                } catch (IllegalArgumentException e) {
                    throw keys.get(id).error("is not an ed25519 key id with a base64 verify key: " + e.getMessage());
                }
            }
            try {
                out.add(new TrustedKeyServer(
                        name, verifyKeys, entry.get("accept_keys_insecurely").bool(false)));
            } catch (IllegalArgumentException e) {
                throw entry.error(e.getMessage());
            }
        }
        return out;
    }

    FederationRetryConfig federationRetry(ConfigNode node) {
        String name = node.file();
        node.requireObject();
        node.unknownKeys(
                FederationRetryConfig.KEYS, key -> warnings.accept(name + ": unknown key '" + key + "' is ignored"));
        try {
            return FederationRetryConfig.fromMap(node.asMap());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": " + e.getMessage(), e);
        }
    }
}
