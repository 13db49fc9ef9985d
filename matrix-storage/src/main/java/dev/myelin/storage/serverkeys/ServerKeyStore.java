package dev.myelin.storage.serverkeys;

import static dev.myelin.storage.schema.Tables.SERVER_KEY_RESPONSES;
import static dev.myelin.storage.schema.Tables.SERVER_SIGNING_KEYS;

import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.storage.Database;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jooq.Record;

/**
 * Other servers' signing keys and the signed responses they came in. A new response is kept under
 * each key id it lists, replacing the response kept for that id before; its keys are added,
 * replacing stored keys with the same id, and keys the new response no longer lists are kept with
 * the response that last listed them, so an event signed with a key since dropped can still be
 * checked until that key's validity ends, and a notary still hands on its signed response.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys">Retrieving server keys</a>
 */
public final class ServerKeyStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public ServerKeyStore(Database db) {
        this.db = db;
    }

    /**
     * Keeps {@code response} and the {@code keys} read from it, in one transaction.
     *
     * @param response the signed response as received
     * @param keys the keys it lists, every one belonging to the response's server
     */
    public void store(StoredKeyResponse response, Collection<StoredServerKey> keys) {
        for (StoredServerKey key : keys) {
            if (!key.server().equals(response.server())) {
                throw new IllegalArgumentException("key " + key.keyId() + " of " + key.server()
                        + " stored with the response of " + response.server());
            }
        }
        db.update(tx -> {
            for (StoredServerKey key : keys) {
                tx.dsl()
                        .insertInto(SERVER_KEY_RESPONSES)
                        .set(SERVER_KEY_RESPONSES.SERVER_NAME, response.server().value())
                        .set(SERVER_KEY_RESPONSES.KEY_ID, key.keyId().toString())
                        .set(SERVER_KEY_RESPONSES.KEY_JSON, response.keyJson())
                        .set(SERVER_KEY_RESPONSES.VALID_UNTIL_TS, response.validUntilTs())
                        .set(SERVER_KEY_RESPONSES.FETCHED_TS, response.fetchedTs())
                        .onConflict(SERVER_KEY_RESPONSES.SERVER_NAME, SERVER_KEY_RESPONSES.KEY_ID)
                        .doUpdate()
                        .set(SERVER_KEY_RESPONSES.KEY_JSON, response.keyJson())
                        .set(SERVER_KEY_RESPONSES.VALID_UNTIL_TS, response.validUntilTs())
                        .set(SERVER_KEY_RESPONSES.FETCHED_TS, response.fetchedTs())
                        .execute();
                Long expired = key.expiredTs().isPresent() ? key.expiredTs().getAsLong() : null;
                tx.dsl()
                        .insertInto(SERVER_SIGNING_KEYS)
                        .set(SERVER_SIGNING_KEYS.SERVER_NAME, key.server().value())
                        .set(SERVER_SIGNING_KEYS.KEY_ID, key.keyId().toString())
                        .set(SERVER_SIGNING_KEYS.VERIFY_KEY, key.key().toBase64())
                        .set(SERVER_SIGNING_KEYS.VALID_UNTIL_TS, key.validUntilTs())
                        .set(SERVER_SIGNING_KEYS.EXPIRED_TS, expired)
                        .set(SERVER_SIGNING_KEYS.FETCHED_TS, key.fetchedTs())
                        .onConflict(SERVER_SIGNING_KEYS.SERVER_NAME, SERVER_SIGNING_KEYS.KEY_ID)
                        .doUpdate()
                        .set(SERVER_SIGNING_KEYS.VERIFY_KEY, key.key().toBase64())
                        .set(SERVER_SIGNING_KEYS.VALID_UNTIL_TS, key.validUntilTs())
                        .set(SERVER_SIGNING_KEYS.EXPIRED_TS, expired)
                        .set(SERVER_SIGNING_KEYS.FETCHED_TS, key.fetchedTs())
                        .execute();
            }
        });
    }

    /**
     * The stored key {@code keyId} of {@code server}, whatever its validity.
     *
     * @param server the server
     * @param keyId the key id
     * @return the key, or empty when none is stored
     */
    public Optional<StoredServerKey> key(ServerName server, SigningKeyId keyId) {
        return db.read(tx -> tx.dsl()
                        .selectFrom(SERVER_SIGNING_KEYS)
                        .where(SERVER_SIGNING_KEYS.SERVER_NAME.eq(server.value()))
                        .and(SERVER_SIGNING_KEYS.KEY_ID.eq(keyId.toString()))
                        .fetchOptional())
                .map(ServerKeyStore::toKey);
    }

    /**
     * Every stored key of {@code server}, in key-id order.
     *
     * @param server the server
     * @return its keys, possibly none
     */
    public List<StoredServerKey> keys(ServerName server) {
        return db
                .read(tx -> tx.dsl()
                        .selectFrom(SERVER_SIGNING_KEYS)
                        .where(SERVER_SIGNING_KEYS.SERVER_NAME.eq(server.value()))
                        .orderBy(SERVER_SIGNING_KEYS.KEY_ID)
                        .fetch())
                .stream()
                .map(ServerKeyStore::toKey)
                .toList();
    }

    /**
     * The latest signed key response kept for each key id of {@code server}, in key-id order.
     *
     * @param server the server
     * @return the responses by key id, none when nothing was fetched
     */
    public Map<SigningKeyId, StoredKeyResponse> responses(ServerName server) {
        Map<SigningKeyId, StoredKeyResponse> out = new LinkedHashMap<>();
        db.read(tx -> tx.dsl()
                        .selectFrom(SERVER_KEY_RESPONSES)
                        .where(SERVER_KEY_RESPONSES.SERVER_NAME.eq(server.value()))
                        .orderBy(SERVER_KEY_RESPONSES.KEY_ID)
                        .fetch())
                .forEach(r -> out.put(
                        SigningKeyId.parse(r.get(SERVER_KEY_RESPONSES.KEY_ID)),
                        new StoredKeyResponse(
                                server,
                                r.get(SERVER_KEY_RESPONSES.KEY_JSON),
                                r.get(SERVER_KEY_RESPONSES.VALID_UNTIL_TS),
                                r.get(SERVER_KEY_RESPONSES.FETCHED_TS))));
        return out;
    }

    private static StoredServerKey toKey(Record r) {
        Long expired = r.get(SERVER_SIGNING_KEYS.EXPIRED_TS);
        return new StoredServerKey(
                ServerName.parse(r.get(SERVER_SIGNING_KEYS.SERVER_NAME)),
                SigningKeyId.parse(r.get(SERVER_SIGNING_KEYS.KEY_ID)),
                VerifyKey.fromBase64(r.get(SERVER_SIGNING_KEYS.VERIFY_KEY)),
                r.get(SERVER_SIGNING_KEYS.VALID_UNTIL_TS),
                expired == null ? OptionalLong.empty() : OptionalLong.of(expired),
                r.get(SERVER_SIGNING_KEYS.FETCHED_TS));
    }
}
