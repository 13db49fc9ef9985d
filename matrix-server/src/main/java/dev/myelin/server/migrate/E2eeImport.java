package dev.myelin.server.migrate;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * End-to-end encryption: device keys, one-time keys (in upload order), fallback keys, the latest
 * cross-signing keys of each user and their signatures, to-device messages not yet delivered (room key
 * shares among them) and server-side key backups.
 */
final class E2eeImport {
    private final ImportContext ctx;
    private final Set<String> users;

    private long toDevicePosition;

    /** The highest to-device stream position written. */
    long toDevicePosition() {
        return toDevicePosition;
    }

    E2eeImport(ImportContext ctx, Set<String> users) {
        this.ctx = ctx;
        this.users = users;
    }

    void run() {
        Target t = ctx.target();
        ctx.copy("e2e_device_keys_json", "SELECT user_id, device_id, key_json FROM e2e_device_keys_json", r -> {
            if (!users.contains(r.getString(1))) {
                t.skip("keys of accounts not imported");
                return;
            }
            t.insert("e2e_device_keys", "user_id, device_id, key_json", r.getString(1), r.getString(2), r.getString(3));
        });
        long[] seq = {0};
        ctx.copy(
                "e2e_one_time_keys_json",
                "SELECT user_id, device_id, algorithm, key_id, key_json FROM e2e_one_time_keys_json"
                        + " ORDER BY ts_added_ms, key_id",
                r -> {
                    if (!users.contains(r.getString(1))) {
                        t.skip("keys of accounts not imported");
                        return;
                    }
                    t.insert(
                            "e2e_one_time_keys",
                            "user_id, device_id, algorithm, key_id, key_json, upload_seq",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            ++seq[0]);
                });
        ctx.copy(
                "e2e_fallback_keys_json",
                "SELECT user_id, device_id, algorithm, key_id, key_json, used FROM e2e_fallback_keys_json",
                r -> {
                    if (!users.contains(r.getString(1))) {
                        t.skip("keys of accounts not imported");
                        return;
                    }
                    t.insert(
                            "e2e_fallback_keys",
                            "user_id, device_id, algorithm, key_id, key_json, used",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getBoolean(6));
                });
        // Synapse keeps every cross-signing key a user ever uploaded; the latest of each type is the one in use
        Map<String, String[]> latest = new HashMap<>();
        ctx.copy(
                "e2e_cross_signing_keys",
                "SELECT user_id, keytype, keydata FROM e2e_cross_signing_keys ORDER BY stream_id",
                r -> {
                    if (!users.contains(r.getString(1))) {
                        t.skip("keys of accounts not imported");
                        return;
                    }
                    String[] old = latest.put(
                            r.getString(1) + "\n" + r.getString(2),
                            new String[] {r.getString(1), r.getString(2), r.getString(3)});
                    if (old != null) {
                        t.skip("cross-signing keys replaced by a later upload");
                    }
                });
        latest.values()
                .forEach(k -> t.insert("e2e_cross_signing_keys", "user_id, key_type, key_json", k[0], k[1], k[2]));
        t.flush();
        Map<String, Boolean> seen = new HashMap<>();
        ctx.copy(
                "e2e_cross_signing_signatures",
                "SELECT target_user_id, target_device_id, user_id, key_id, signature FROM e2e_cross_signing_signatures",
                r -> {
                    String key = String.join("\n", r.getString(1), r.getString(2), r.getString(3), r.getString(4));
                    if (seen.put(key, true) != null) {
                        t.skip("repeated signatures");
                        return;
                    }
                    t.insert(
                            "e2e_key_signatures",
                            "target_user_id, target_key, signer_user_id, signer_key_id, signature",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5));
                });
        ctx.copy("device_inbox", "SELECT user_id, device_id, stream_id, message_json FROM device_inbox", r -> {
            if (!users.contains(r.getString(1))) {
                t.skip("to-device messages of accounts not imported");
                return;
            }
            toDevicePosition = Math.max(toDevicePosition, r.getLong(3));
            t.insert(
                    "device_inbox",
                    "user_id, device_id, stream_id, message",
                    r.getString(1),
                    r.getString(2),
                    r.getLong(3),
                    r.getString(4));
        });
        ctx.copy(
                "e2e_room_keys_versions",
                "SELECT user_id, version, algorithm, auth_data, deleted, etag FROM e2e_room_keys_versions",
                r -> {
                    if (!users.contains(r.getString(1))) {
                        t.skip("backups of accounts not imported");
                        return;
                    }
                    t.insert(
                            "key_backup_versions",
                            "user_id, version, algorithm, auth_data, etag, deleted",
                            r.getString(1),
                            r.getLong(2),
                            r.getString(3),
                            r.getString(4),
                            r.getObject(6) == null ? 0L : r.getLong(6),
                            r.getInt(5) != 0);
                });
        ctx.copy(
                "e2e_room_keys",
                "SELECT user_id, version, room_id, session_id, first_message_index, forwarded_count, is_verified,"
                        + " session_data FROM e2e_room_keys",
                r -> {
                    if (!users.contains(r.getString(1))) {
                        t.skip("backups of accounts not imported");
                        return;
                    }
                    t.insert(
                            "key_backup_keys",
                            "user_id, version, room_id, session_id, first_message_index, forwarded_count,"
                                    + " is_verified, session_data",
                            r.getString(1),
                            r.getLong(2),
                            r.getString(3),
                            r.getString(4),
                            r.getLong(5),
                            r.getLong(6),
                            r.getBoolean(7),
                            r.getString(8));
                });
    }
}
