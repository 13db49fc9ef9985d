package dev.myelin.storage.keys;

import static dev.myelin.storage.schema.Tables.E2E_CROSS_SIGNING_KEYS;
import static dev.myelin.storage.schema.Tables.E2E_KEY_SIGNATURES;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.internal.Json;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Users' cross-signing keys and the signatures uploaded for keys (devices' and cross-signing keys). Every
 * write logs a device list change in the same transaction, so other users' clients refetch the keys.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#cross-signing">Cross-signing</a>
 */
public final class CrossSigningStore {
    private final Database db;
    private final DeviceListStore deviceLists;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param deviceLists the device list change log it appends to
     */
    public CrossSigningStore(Database db, DeviceListStore deviceLists) {
        this.db = db;
        this.deviceLists = deviceLists;
    }

    /** The user's cross-signing keys as uploaded (without signatures uploaded separately). */
    public Map<CrossSigningKeyType, ObjectNode> keys(UserId user) {
        Map<CrossSigningKeyType, ObjectNode> result = new EnumMap<>(CrossSigningKeyType.class);
        db.read(tx -> tx.dsl()
                        .select(E2E_CROSS_SIGNING_KEYS.KEY_TYPE, E2E_CROSS_SIGNING_KEYS.KEY_JSON)
                        .from(E2E_CROSS_SIGNING_KEYS)
                        .where(E2E_CROSS_SIGNING_KEYS.USER_ID.eq(user.toString()))
                        .fetch())
                .forEach(r -> {
                    for (CrossSigningKeyType type : CrossSigningKeyType.values()) {
                        if (type.usage().equals(r.value1())) {
                            result.put(type, Json.readObject(r.value2()));
                        }
                    }
                });
        return result;
    }

    /**
     * One of a user's cross-signing keys, as uploaded.
     *
     * @param user the user
     * @param type which key
     * @return the key object, if uploaded
     */
    public Optional<ObjectNode> key(UserId user, CrossSigningKeyType type) {
        return Optional.ofNullable(keys(user).get(type));
    }

    /**
     * Stores (replacing) some of the user's cross-signing keys. The signatures made by, and made on, the keys
     * in {@code obsoleteKeyIds} (key ids like {@code ed25519:<public key>} of replaced keys) are deleted.
     */
    public void replace(UserId user, Map<CrossSigningKeyType, ObjectNode> keys, Collection<String> obsoleteKeyIds) {
        replace(user, keys, obsoleteKeyIds, true);
    }

    /**
     * Stores keys as {@link #replace(UserId, Map, Collection)} does; unless {@code othersSeeIt} (only
     * the user-signing key changed, which only its owner is shown), the change is logged for the
     * user's own devices alone.
     */
    public void replace(
            UserId user,
            Map<CrossSigningKeyType, ObjectNode> keys,
            Collection<String> obsoleteKeyIds,
            boolean othersSeeIt) {
        String u = user.toString();
        db.update(tx -> {
            keys.forEach((type, key) -> tx.dsl()
                    .insertInto(E2E_CROSS_SIGNING_KEYS)
                    .set(E2E_CROSS_SIGNING_KEYS.USER_ID, u)
                    .set(E2E_CROSS_SIGNING_KEYS.KEY_TYPE, type.usage())
                    .set(E2E_CROSS_SIGNING_KEYS.KEY_JSON, Json.write(key))
                    .onConflict(E2E_CROSS_SIGNING_KEYS.USER_ID, E2E_CROSS_SIGNING_KEYS.KEY_TYPE)
                    .doUpdate()
                    .set(E2E_CROSS_SIGNING_KEYS.KEY_JSON, Json.write(key))
                    .execute());
            List<String> publicKeys = obsoleteKeyIds.stream()
                    .map(id -> id.substring(id.indexOf(':') + 1))
                    .toList();
            if (!obsoleteKeyIds.isEmpty()) {
                tx.dsl()
                        .deleteFrom(E2E_KEY_SIGNATURES)
                        .where(
                                E2E_KEY_SIGNATURES.SIGNER_USER_ID.eq(u),
                                E2E_KEY_SIGNATURES.SIGNER_KEY_ID.in(obsoleteKeyIds))
                        .execute();
                tx.dsl()
                        .deleteFrom(E2E_KEY_SIGNATURES)
                        .where(E2E_KEY_SIGNATURES.TARGET_USER_ID.eq(u), E2E_KEY_SIGNATURES.TARGET_KEY.in(publicKeys))
                        .execute();
            }
            if (othersSeeIt) {
                deviceLists.recordCrossSigningChange(tx, user);
            } else {
                deviceLists.recordChangeSeenBy(tx, user, user);
            }
        });
    }

    /**
     * Stores signatures (replacing an earlier one of the same signer key over the same key) and logs a change
     * for each user in {@code changed}, in one transaction.
     */
    public void addSignatures(List<KeySignature> signatures, Set<UserId> changed) {
        addSignatures(signatures, changed, Map.of());
    }

    /**
     * Stores signatures as {@link #addSignatures(List, Set)} does, and also logs, for each user in
     * {@code changedForViewer}'s keys, a change that only the user it maps to is shown.
     */
    public void addSignatures(
            List<KeySignature> signatures, Set<UserId> changed, Map<UserId, UserId> changedForViewer) {
        if (signatures.isEmpty()) {
            return;
        }
        db.update(tx -> {
            for (KeySignature s : signatures) {
                tx.dsl()
                        .insertInto(E2E_KEY_SIGNATURES)
                        .set(E2E_KEY_SIGNATURES.TARGET_USER_ID, s.target().toString())
                        .set(E2E_KEY_SIGNATURES.TARGET_KEY, s.targetKey())
                        .set(E2E_KEY_SIGNATURES.SIGNER_USER_ID, s.signer().toString())
                        .set(E2E_KEY_SIGNATURES.SIGNER_KEY_ID, s.signerKeyId())
                        .set(E2E_KEY_SIGNATURES.SIGNATURE, s.signature())
                        .onConflict(
                                E2E_KEY_SIGNATURES.TARGET_USER_ID,
                                E2E_KEY_SIGNATURES.TARGET_KEY,
                                E2E_KEY_SIGNATURES.SIGNER_USER_ID,
                                E2E_KEY_SIGNATURES.SIGNER_KEY_ID)
                        .doUpdate()
                        .set(E2E_KEY_SIGNATURES.SIGNATURE, s.signature())
                        .execute();
            }
            changed.forEach(user -> deviceLists.recordCrossSigningChange(tx, user));
            changedForViewer.forEach((user, viewer) -> deviceLists.recordChangeSeenBy(tx, user, viewer));
        });
    }

    /** Every uploaded signature over keys of {@code target} (its devices' and its cross-signing keys). */
    public List<KeySignature> signaturesOn(UserId target) {
        return db.read(tx -> tx.dsl()
                .selectFrom(E2E_KEY_SIGNATURES)
                .where(E2E_KEY_SIGNATURES.TARGET_USER_ID.eq(target.toString()))
                .orderBy(
                        E2E_KEY_SIGNATURES.TARGET_KEY,
                        E2E_KEY_SIGNATURES.SIGNER_USER_ID,
                        E2E_KEY_SIGNATURES.SIGNER_KEY_ID)
                .fetch(r -> new KeySignature(
                        UserId.parse(r.getTargetUserId()),
                        r.getTargetKey(),
                        UserId.parse(r.getSignerUserId()),
                        r.getSignerKeyId(),
                        r.getSignature())));
    }
}
