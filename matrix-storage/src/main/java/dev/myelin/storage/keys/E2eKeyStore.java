package dev.myelin.storage.keys;

import static dev.myelin.storage.schema.Tables.E2E_DEVICE_KEYS;
import static dev.myelin.storage.schema.Tables.E2E_FALLBACK_KEYS;
import static dev.myelin.storage.schema.Tables.E2E_KEY_SIGNATURES;
import static dev.myelin.storage.schema.Tables.E2E_ONE_TIME_KEYS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.cache.StampedCache;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Devices' end-to-end encryption keys: identity keys, one-time keys and fallback keys. A change of a
 * device's identity keys is written to the {@link DeviceListStore device list log} in the same transaction,
 * so a sync never sees the new keys without the change, or the reverse.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#device-keys">Device keys</a>
 */
public final class E2eKeyStore {
    /** The cache name of the devices' key counts; keys are {@code user|device}. */
    public static final String KEY_COUNTS = "e2e_key_counts";

    private record KeyCounts(Map<String, Integer> oneTime, List<String> unusedFallback) {}

    /** Every /sync of a device reports its key counts: read once per upload or claim. */
    private final StampedCache<String, KeyCounts> counts;

    private final Database db;
    private final DeviceListStore deviceLists;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param deviceLists the device list change log it appends to
     */
    public E2eKeyStore(Database db, DeviceListStore deviceLists) {
        this.db = db;
        this.deviceLists = deviceLists;
        this.counts = new StampedCache<>(KEY_COUNTS, 100_000, db.invalidation(), key -> key);
    }

    /**
     * What an upload did. When {@code conflict} is present nothing was written: a one-time key of that name was
     * already uploaded with other content.
     *
     * @param deviceKeysChanged whether the identity keys were new or different (and the change was logged)
     * @param oneTimeKeyCounts  unclaimed one-time keys per algorithm after the upload
     */
    public record UploadOutcome(
            Optional<String> conflict, boolean deviceKeysChanged, Map<String, Integer> oneTimeKeyCounts) {}

    /**
     * Stores keys of one device in one transaction: identity keys (replacing earlier ones, which also drops
     * the signatures uploaded for them), one-time keys (an already stored identical key is skipped) and fallback
     * keys (replacing the one of the same algorithm; an identical re-upload keeps its used flag).
     */
    public UploadOutcome upload(
            UserId user,
            DeviceId device,
            @Nullable ObjectNode deviceKeys,
            List<OneTimeKey> oneTimeKeys,
            List<OneTimeKey> fallbackKeys) {
        String u = user.toString();
        String d = device.value();
        return db.write(tx -> {
            countsChanged(tx, user, device);
            Map<String, OneTimeKey> fresh = new LinkedHashMap<>();
            for (OneTimeKey key : oneTimeKeys) {
                Optional<String> stored = tx.dsl()
                        .select(E2E_ONE_TIME_KEYS.KEY_JSON)
                        .from(E2E_ONE_TIME_KEYS)
                        .where(
                                E2E_ONE_TIME_KEYS.USER_ID.eq(u),
                                E2E_ONE_TIME_KEYS.DEVICE_ID.eq(d),
                                E2E_ONE_TIME_KEYS.ALGORITHM.eq(key.algorithm()),
                                E2E_ONE_TIME_KEYS.KEY_ID.eq(key.keyId()))
                        .fetchOptional(E2E_ONE_TIME_KEYS.KEY_JSON);
                if (stored.isPresent()) {
                    if (!Json.readNode(stored.get()).equals(key.key())) {
                        return new UploadOutcome(Optional.of(key.name()), false, Map.of());
                    }
                } else {
                    fresh.put(key.name(), key);
                }
            }
            boolean changed = false;
            if (deviceKeys != null) {
                Optional<ObjectNode> old = deviceKeys(tx, user, device);
                if (old.isEmpty() || !old.get().equals(deviceKeys)) {
                    tx.dsl()
                            .insertInto(E2E_DEVICE_KEYS)
                            .set(E2E_DEVICE_KEYS.USER_ID, u)
                            .set(E2E_DEVICE_KEYS.DEVICE_ID, d)
                            .set(E2E_DEVICE_KEYS.KEY_JSON, Json.write(deviceKeys))
                            .onConflict(E2E_DEVICE_KEYS.USER_ID, E2E_DEVICE_KEYS.DEVICE_ID)
                            .doUpdate()
                            .set(E2E_DEVICE_KEYS.KEY_JSON, Json.write(deviceKeys))
                            .execute();
                    // signatures of the old keys do not cover the new ones
                    tx.dsl()
                            .deleteFrom(E2E_KEY_SIGNATURES)
                            .where(E2E_KEY_SIGNATURES.TARGET_USER_ID.eq(u), E2E_KEY_SIGNATURES.TARGET_KEY.eq(d))
                            .execute();
                    deviceLists.recordChange(tx, user, device);
                    changed = true;
                }
            }
            if (!fresh.isEmpty()) {
                Long max = tx.dsl()
                        .select(DSL.max(E2E_ONE_TIME_KEYS.UPLOAD_SEQ))
                        .from(E2E_ONE_TIME_KEYS)
                        .where(E2E_ONE_TIME_KEYS.USER_ID.eq(u), E2E_ONE_TIME_KEYS.DEVICE_ID.eq(d))
                        .fetchOne(0, Long.class);
                long seq = max == null ? 1 : max + 1;
                for (OneTimeKey key : fresh.values()) {
                    tx.dsl()
                            .insertInto(E2E_ONE_TIME_KEYS)
                            .set(E2E_ONE_TIME_KEYS.USER_ID, u)
                            .set(E2E_ONE_TIME_KEYS.DEVICE_ID, d)
                            .set(E2E_ONE_TIME_KEYS.ALGORITHM, key.algorithm())
                            .set(E2E_ONE_TIME_KEYS.KEY_ID, key.keyId())
                            .set(E2E_ONE_TIME_KEYS.KEY_JSON, Json.write(key.key()))
                            .set(E2E_ONE_TIME_KEYS.UPLOAD_SEQ, seq)
                            .execute();
                }
            }
            for (OneTimeKey key : fallbackKeys) {
                String json = Json.write(key.key());
                boolean same = tx.dsl()
                        .fetchExists(
                                E2E_FALLBACK_KEYS,
                                E2E_FALLBACK_KEYS.USER_ID.eq(u),
                                E2E_FALLBACK_KEYS.DEVICE_ID.eq(d),
                                E2E_FALLBACK_KEYS.ALGORITHM.eq(key.algorithm()),
                                E2E_FALLBACK_KEYS.KEY_ID.eq(key.keyId()),
                                E2E_FALLBACK_KEYS.KEY_JSON.eq(json));
                if (same) {
                    continue;
                }
                tx.dsl()
                        .insertInto(E2E_FALLBACK_KEYS)
                        .set(E2E_FALLBACK_KEYS.USER_ID, u)
                        .set(E2E_FALLBACK_KEYS.DEVICE_ID, d)
                        .set(E2E_FALLBACK_KEYS.ALGORITHM, key.algorithm())
                        .set(E2E_FALLBACK_KEYS.KEY_ID, key.keyId())
                        .set(E2E_FALLBACK_KEYS.KEY_JSON, json)
                        .set(E2E_FALLBACK_KEYS.USED, false)
                        .onConflict(E2E_FALLBACK_KEYS.USER_ID, E2E_FALLBACK_KEYS.DEVICE_ID, E2E_FALLBACK_KEYS.ALGORITHM)
                        .doUpdate()
                        .set(E2E_FALLBACK_KEYS.KEY_ID, key.keyId())
                        .set(E2E_FALLBACK_KEYS.KEY_JSON, json)
                        .set(E2E_FALLBACK_KEYS.USED, false)
                        .execute();
            }
            return new UploadOutcome(Optional.empty(), changed, oneTimeKeyCounts(tx, user, device));
        });
    }

    /** The device's identity keys as uploaded. */
    public Optional<ObjectNode> deviceKeys(UserId user, DeviceId device) {
        return db.read(tx -> deviceKeys(tx, user, device));
    }

    private static Optional<ObjectNode> deviceKeys(Transaction tx, UserId user, DeviceId device) {
        return tx.dsl()
                .select(E2E_DEVICE_KEYS.KEY_JSON)
                .from(E2E_DEVICE_KEYS)
                .where(E2E_DEVICE_KEYS.USER_ID.eq(user.toString()), E2E_DEVICE_KEYS.DEVICE_ID.eq(device.value()))
                .fetchOptional(E2E_DEVICE_KEYS.KEY_JSON)
                .map(Json::readObject);
    }

    /** The identity keys of every device of {@code user} that uploaded some, by device id. */
    public Map<DeviceId, ObjectNode> deviceKeys(UserId user) {
        return db.read(tx -> {
            Map<DeviceId, ObjectNode> result = new TreeMap<>();
            tx.dsl()
                    .select(E2E_DEVICE_KEYS.DEVICE_ID, E2E_DEVICE_KEYS.KEY_JSON)
                    .from(E2E_DEVICE_KEYS)
                    .where(E2E_DEVICE_KEYS.USER_ID.eq(user.toString()))
                    .forEach(r -> result.put(new DeviceId(r.value1()), Json.readObject(r.value2())));
            return result;
        });
    }

    /** Unclaimed one-time keys of the device per algorithm (algorithms without keys are left out). */
    public Map<String, Integer> oneTimeKeyCounts(UserId user, DeviceId device) {
        return keyCounts(user, device).oneTime();
    }

    /** What every {@code /sync} of a device reports of its keys, kept until they are uploaded or claimed. */
    private KeyCounts keyCounts(UserId user, DeviceId device) {
        String key = countsKey(user, device);
        KeyCounts cached = counts.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        long stamp = counts.stamp();
        KeyCounts read = db.read(tx -> new KeyCounts(
                Map.copyOf(oneTimeKeyCounts(tx, user, device)), unusedFallbackKeyAlgorithms(tx, user, device)));
        counts.put(key, read, stamp);
        return read;
    }

    private static String countsKey(UserId user, DeviceId device) {
        return user + "|" + device.value();
    }

    /** Drops the device's counts now and once {@code tx} commits (see {@link StampedCache}). */
    private void countsChanged(Transaction tx, UserId user, DeviceId device) {
        String key = countsKey(user, device);
        db.invalidateOnCommit(tx, KEY_COUNTS, List.of(key));
    }

    private static Map<String, Integer> oneTimeKeyCounts(Transaction tx, UserId user, DeviceId device) {
        Map<String, Integer> counts = new TreeMap<>();
        tx.dsl()
                .select(E2E_ONE_TIME_KEYS.ALGORITHM, DSL.count())
                .from(E2E_ONE_TIME_KEYS)
                .where(E2E_ONE_TIME_KEYS.USER_ID.eq(user.toString()), E2E_ONE_TIME_KEYS.DEVICE_ID.eq(device.value()))
                .groupBy(E2E_ONE_TIME_KEYS.ALGORITHM)
                .forEach(r -> counts.put(r.value1(), r.value2()));
        return counts;
    }

    /** The algorithms for which the device has a fallback key that has not been claimed, sorted. */
    public List<String> unusedFallbackKeyAlgorithms(UserId user, DeviceId device) {
        return keyCounts(user, device).unusedFallback();
    }

    private static List<String> unusedFallbackKeyAlgorithms(Transaction tx, UserId user, DeviceId device) {
        return List.copyOf(tx.dsl()
                .select(E2E_FALLBACK_KEYS.ALGORITHM)
                .from(E2E_FALLBACK_KEYS)
                .where(
                        E2E_FALLBACK_KEYS.USER_ID.eq(user.toString()),
                        E2E_FALLBACK_KEYS.DEVICE_ID.eq(device.value()),
                        E2E_FALLBACK_KEYS.USED.isFalse())
                .orderBy(E2E_FALLBACK_KEYS.ALGORITHM)
                .fetch(E2E_FALLBACK_KEYS.ALGORITHM));
    }

    /**
     * Claims a key of {@code algorithm} of the device: the oldest one-time key, deleted in the same
     * transaction so no other claim can get it, or else the fallback key, which is kept and marked used.
     */
    public Optional<OneTimeKey> claim(UserId user, DeviceId device, String algorithm) {
        String u = user.toString();
        String d = device.value();
        return db.write(tx -> {
            countsChanged(tx, user, device);
            while (true) {
                var oldest = tx.dsl()
                        .select(E2E_ONE_TIME_KEYS.KEY_ID, E2E_ONE_TIME_KEYS.KEY_JSON)
                        .from(E2E_ONE_TIME_KEYS)
                        .where(
                                E2E_ONE_TIME_KEYS.USER_ID.eq(u),
                                E2E_ONE_TIME_KEYS.DEVICE_ID.eq(d),
                                E2E_ONE_TIME_KEYS.ALGORITHM.eq(algorithm))
                        .orderBy(E2E_ONE_TIME_KEYS.UPLOAD_SEQ, E2E_ONE_TIME_KEYS.KEY_ID)
                        .limit(1)
                        .fetchOptional();
                if (oldest.isEmpty()) {
                    break;
                }
                int deleted = tx.dsl()
                        .deleteFrom(E2E_ONE_TIME_KEYS)
                        .where(
                                E2E_ONE_TIME_KEYS.USER_ID.eq(u),
                                E2E_ONE_TIME_KEYS.DEVICE_ID.eq(d),
                                E2E_ONE_TIME_KEYS.ALGORITHM.eq(algorithm),
                                E2E_ONE_TIME_KEYS.KEY_ID.eq(oldest.get().value1()))
                        .execute();
                // with several writers (PostgreSQL) a concurrent claim may have deleted it first: take the next
                if (deleted == 1) {
                    return Optional.of(new OneTimeKey(
                            algorithm,
                            oldest.get().value1(),
                            Json.readNode(oldest.get().value2())));
                }
            }
            var fallback = tx.dsl()
                    .select(E2E_FALLBACK_KEYS.KEY_ID, E2E_FALLBACK_KEYS.KEY_JSON)
                    .from(E2E_FALLBACK_KEYS)
                    .where(
                            E2E_FALLBACK_KEYS.USER_ID.eq(u),
                            E2E_FALLBACK_KEYS.DEVICE_ID.eq(d),
                            E2E_FALLBACK_KEYS.ALGORITHM.eq(algorithm))
                    .fetchOptional();
            if (fallback.isEmpty()) {
                return Optional.<OneTimeKey>empty();
            }
            tx.dsl()
                    .update(E2E_FALLBACK_KEYS)
                    .set(E2E_FALLBACK_KEYS.USED, true)
                    .where(
                            E2E_FALLBACK_KEYS.USER_ID.eq(u),
                            E2E_FALLBACK_KEYS.DEVICE_ID.eq(d),
                            E2E_FALLBACK_KEYS.ALGORITHM.eq(algorithm))
                    .execute();
            return Optional.of(new OneTimeKey(
                    algorithm,
                    fallback.get().value1(),
                    Json.readNode(fallback.get().value2())));
        });
    }

    /**
     * Deletes every key of a device and the signatures on its identity keys, inside the write transaction
     * {@code tx}; returns whether the device had identity keys.
     */
    public boolean deleteDevice(Transaction tx, UserId user, DeviceId device) {
        countsChanged(tx, user, device);
        String u = user.toString();
        String d = device.value();
        int had = tx.dsl()
                .deleteFrom(E2E_DEVICE_KEYS)
                .where(E2E_DEVICE_KEYS.USER_ID.eq(u), E2E_DEVICE_KEYS.DEVICE_ID.eq(d))
                .execute();
        tx.dsl()
                .deleteFrom(E2E_ONE_TIME_KEYS)
                .where(E2E_ONE_TIME_KEYS.USER_ID.eq(u), E2E_ONE_TIME_KEYS.DEVICE_ID.eq(d))
                .execute();
        tx.dsl()
                .deleteFrom(E2E_FALLBACK_KEYS)
                .where(E2E_FALLBACK_KEYS.USER_ID.eq(u), E2E_FALLBACK_KEYS.DEVICE_ID.eq(d))
                .execute();
        tx.dsl()
                .deleteFrom(E2E_KEY_SIGNATURES)
                .where(E2E_KEY_SIGNATURES.TARGET_USER_ID.eq(u), E2E_KEY_SIGNATURES.TARGET_KEY.eq(d))
                .execute();
        tx.dsl()
                .deleteFrom(E2E_KEY_SIGNATURES)
                .where(E2E_KEY_SIGNATURES.SIGNER_USER_ID.eq(u), E2E_KEY_SIGNATURES.SIGNER_KEY_ID.eq("ed25519:" + d))
                .execute();
        return had > 0;
    }
}
