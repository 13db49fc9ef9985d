package dev.myelin.server.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code rc_*} rate limits of {@code homeserver.yaml}: each bucket's {@code per_second} and
 * {@code burst_count}, Synapse's defaults where it has the setting, for {@link ConfigLoader}.
 */
final class RateLimitSettings {
    /** Every bucket this server knows, with its default. */
    static final Map<String, RateLimitConfig> DEFAULTS = defaults();

    private RateLimitSettings() {}

    /** Each bucket as configured, else its default; a dotted name is a key of a section. */
    static Map<String, RateLimitConfig> read(ConfigNode root) {
        Map<String, RateLimitConfig> limits = new LinkedHashMap<>(DEFAULTS);
        for (String key : DEFAULTS.keySet()) {
            int dot = key.indexOf('.');
            ConfigNode node =
                    dot < 0 ? root.get(key) : root.get(key.substring(0, dot)).get(key.substring(dot + 1));
            if (node.isPresent()) {
                node.requireObject();
                RateLimitConfig defaults = DEFAULTS.get(key);
                limits.put(
                        key,
                        new RateLimitConfig(
                                node.get("per_second").number(defaults.perSecond(), 0),
                                node.get("burst_count").integer(defaults.burstCount(), 1, Long.MAX_VALUE)));
            }
        }
        return limits;
    }

    private static Map<String, RateLimitConfig> defaults() {
        Map<String, RateLimitConfig> limits = new LinkedHashMap<>();
        limits.put("rc_message", new RateLimitConfig(0.2, 10));
        limits.put("rc_registration", new RateLimitConfig(0.17, 3));
        limits.put("rc_login.address", new RateLimitConfig(0.003, 5));
        limits.put("rc_login.account", new RateLimitConfig(0.003, 5));
        limits.put("rc_login.failed_attempts", new RateLimitConfig(0.17, 3));
        limits.put("rc_joins.local", new RateLimitConfig(0.1, 10));
        limits.put("rc_joins.remote", new RateLimitConfig(0.01, 10));
        limits.put("rc_invites.per_room", new RateLimitConfig(0.3, 10));
        limits.put("rc_invites.per_user", new RateLimitConfig(0.003, 5));
        limits.put("rc_invites.per_issuer", new RateLimitConfig(0.3, 10));
        limits.put("rc_room_creation", new RateLimitConfig(0.016, 10));
        limits.put("rc_media_create", new RateLimitConfig(10, 50));
        limits.put("rc_reports", new RateLimitConfig(1, 5));
        limits.put("rc_presence.per_user", new RateLimitConfig(0.1, 1));
        limits.put("rc_key_requests", new RateLimitConfig(20, 100));
        // not Synapse settings: to-device messages and typing notices are unlimited there
        limits.put("rc_to_device", new RateLimitConfig(5, 50));
        limits.put("rc_typing", new RateLimitConfig(1, 20));
        return Map.copyOf(limits);
    }
}
