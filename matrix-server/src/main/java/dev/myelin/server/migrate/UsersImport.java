package dev.myelin.server.migrate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Accounts: users (bcrypt password hashes as they are, which Myelin's BCrypt check reads; admin, user
 * type, deactivated, shadow-banned, locked and suspended flags) and their rate limit overrides, profiles,
 * devices, access and refresh tokens (stored as Myelin keeps them: their SHA-256, so the same token
 * strings keep working), filters, and which deactivated users asked for their messages to be erased.
 */
final class UsersImport {
    private final ImportContext ctx;
    /** Users carried over; rows of other tables about anyone else are skipped. */
    private final Set<String> users = new HashSet<>();

    UsersImport(ImportContext ctx) {
        this.ctx = ctx;
    }

    Set<String> users() {
        return users;
    }

    void run() {
        Target t = ctx.target();
        ctx.copy(
                "users",
                "SELECT name, password_hash, creation_ts, admin, deactivated, is_guest, user_type, shadow_banned,"
                        + " locked, suspended FROM users",
                r -> {
                    String userId = r.getString(1);
                    users.add(userId);
                    String localpart = userId.substring(1, userId.indexOf(':'));
                    // Synapse counts seconds here, Myelin milliseconds
                    long created = r.getLong(3) * 1000;
                    t.insert(
                            "users",
                            "user_id, localpart, password_hash, creation_ts, admin, deactivated, is_guest",
                            userId,
                            localpart,
                            r.getString(2),
                            created,
                            r.getInt(4) != 0,
                            r.getInt(5) != 0,
                            r.getInt(6) != 0);
                });
        ctx.copy("profiles", "SELECT user_id, full_user_id, displayname, avatar_url FROM profiles", r -> {
            String userId = r.getString(2) != null ? r.getString(2) : ctx.userId(r.getString(1));
            if (!users.contains(userId)) {
                t.skip("profile of an account not imported");
                return;
            }
            t.insert("profiles", "user_id, displayname, avatar_url", userId, r.getString(3), r.getString(4));
        });
        ctx.copy(
                "devices",
                "SELECT user_id, device_id, display_name, last_seen, ip, user_agent, hidden FROM devices",
                r -> {
                    if (r.getBoolean(7)) {
                        t.skip("hidden devices (Synapse's cross-signing key placeholders)");
                        return;
                    }
                    if (!users.contains(r.getString(1))) {
                        t.skip("device of an account not imported");
                        return;
                    }
                    Long lastSeen = r.getObject(4) == null ? null : r.getLong(4);
                    t.insert(
                            "devices",
                            "user_id, device_id, display_name, last_seen_ip, last_seen_user_agent, last_seen_ts",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(5),
                            r.getString(6),
                            lastSeen);
                });
        Map<Long, String> refreshHashes = new HashMap<>();
        ctx.copy("refresh_tokens", "SELECT id, user_id, device_id, token, next_token_id FROM refresh_tokens", r -> {
            if (r.getObject(5) != null) {
                t.skip("used refresh tokens (replaced by a newer one)");
                return;
            }
            if (!users.contains(r.getString(2))) {
                t.skip("token of an account not imported");
                return;
            }
            String hash = sha256(r.getString(4));
            refreshHashes.put(r.getLong(1), hash);
            t.insert(
                    "refresh_tokens",
                    "token_hash, user_id, device_id, created_ts",
                    hash,
                    r.getString(2),
                    r.getString(3),
                    ctx.clock().nowMillis());
        });
        ctx.copy(
                "access_tokens",
                "SELECT user_id, device_id, token, valid_until_ms, puppets_user_id, last_validated, refresh_token_id "
                        + "FROM access_tokens",
                r -> {
                    if (r.getString(5) != null) {
                        t.skip("admin puppet tokens (Myelin has no puppeting)");
                        return;
                    }
                    if (!users.contains(r.getString(1))) {
                        t.skip("token of an account not imported");
                        return;
                    }
                    Long validUntil = r.getObject(4) == null ? null : r.getLong(4);
                    long created = r.getObject(6) == null ? ctx.clock().nowMillis() : r.getLong(6);
                    String refresh = r.getObject(7) == null ? null : refreshHashes.get(r.getLong(7));
                    t.insert(
                            "access_tokens",
                            "token_hash, user_id, device_id, created_ts, valid_until_ms, refresh_token_hash",
                            sha256(r.getString(3)),
                            r.getString(1),
                            r.getString(2),
                            created,
                            validUntil,
                            refresh);
                });
        ctx.copy("user_filters", "SELECT user_id, full_user_id, filter_id, filter_json FROM user_filters", r -> {
            String userId = r.getString(2) != null ? r.getString(2) : ctx.userId(r.getString(1));
            if (!users.contains(userId)) {
                t.skip("filter of an account not imported");
                return;
            }
            byte[] json = r.getBytes(4);
            t.insert(
                    "user_filters",
                    "user_id, filter_id, filter_json",
                    userId,
                    r.getLong(3),
                    new String(json, StandardCharsets.UTF_8));
        });
        // registrations that were under way when Synapse stopped never finish: nothing stays pending
        ctx.copy(
                "registration_tokens",
                "SELECT token, uses_allowed, completed, expiry_time FROM registration_tokens",
                r -> t.insert(
                        "registration_tokens",
                        "token, uses_allowed, pending, completed, expiry_time",
                        r.getString(1),
                        r.getObject(2) == null ? null : r.getLong(2),
                        0L,
                        r.getLong(3),
                        r.getObject(4) == null ? null : r.getLong(4)));
    }

    /** How Myelin keys a token: the hex SHA-256 of its UTF-8 bytes (see AccessTokenStore). */
    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
