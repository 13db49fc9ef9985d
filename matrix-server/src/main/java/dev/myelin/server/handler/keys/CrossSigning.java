package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.account.Device;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.keys.CrossSigningKeyType;
import dev.myelin.storage.keys.CrossSigningStore;
import dev.myelin.storage.keys.E2eKeyStore;
import dev.myelin.storage.keys.KeySignature;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Cross-signing: uploading a user's master, self-signing and user-signing keys, and uploading signatures
 * of keys by them (own devices by the self-signing key, the own master key by a device, other users'
 * master keys by the user-signing key). Every signature is verified before it is stored.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#cross-signing">Cross-signing</a>
 */
public final class CrossSigning {
    private final CrossSigningStore crossSigning;
    private final DeviceStore deviceStore;
    private final E2eKeyStore e2eKeys;
    private final DeviceLists deviceLists;

    public CrossSigning(
            CrossSigningStore crossSigning, DeviceStore deviceStore, E2eKeyStore e2eKeys, DeviceLists deviceLists) {
        this.crossSigning = crossSigning;
        this.deviceStore = deviceStore;
        this.e2eKeys = e2eKeys;
        this.deviceLists = deviceLists;
    }

    /** The public key of a validated cross-signing key object (the value of its only {@code keys} entry). */
    static String publicKey(ObjectNode key) {
        return key.path("keys").properties().iterator().next().getValue().asText();
    }

    // ---- POST /keys/device_signing/upload ----

    /**
     * Validates and stores the cross-signing keys in {@code body}. {@code authorise} runs (and may throw to
     * answer 401) before anything is stored unless the upload needs no user-interactive auth: when the user
     * has no master key yet, or when every key in the body equals the stored one.
     */
    public void upload(UserId user, CrossSigningUpload body, Runnable authorise) {
        Map<CrossSigningKeyType, ObjectNode> uploaded = new EnumMap<>(CrossSigningKeyType.class);
        putIfPresent(uploaded, CrossSigningKeyType.MASTER, body.masterKey());
        putIfPresent(uploaded, CrossSigningKeyType.SELF_SIGNING, body.selfSigningKey());
        putIfPresent(uploaded, CrossSigningKeyType.USER_SIGNING, body.userSigningKey());
        Map<CrossSigningKeyType, ObjectNode> stored = crossSigning.keys(user);
        Set<String> deviceIds = new LinkedHashSet<>();
        deviceStore.list(user).stream()
                .map(Device::deviceId)
                .map(DeviceId::value)
                .forEach(deviceIds::add);
        uploaded.forEach((type, key) -> checkKey(user, type, key, deviceIds));
        Optional<String> master = Optional.ofNullable(uploaded.get(CrossSigningKeyType.MASTER))
                .or(() -> Optional.ofNullable(stored.get(CrossSigningKeyType.MASTER)))
                .map(CrossSigning::publicKey);
        for (CrossSigningKeyType type : List.of(CrossSigningKeyType.SELF_SIGNING, CrossSigningKeyType.USER_SIGNING)) {
            ObjectNode key = uploaded.get(type);
            if (key == null) {
                continue;
            }
            if (master.isEmpty()) {
                throw MatrixException.missingParam("master_key");
            }
            if (!KeySignatures.signedBy(key, user.toString(), KeySignatures.ED25519 + master.get(), master.get())) {
                throw KeysHandler.invalidSignature(type.usage() + "_key is not signed by the master key");
            }
        }
        boolean unchanged =
                uploaded.entrySet().stream().allMatch(e -> e.getValue().equals(stored.get(e.getKey())));
        boolean firstUpload = !stored.containsKey(CrossSigningKeyType.MASTER);
        boolean replacesNothing = uploaded.containsKey(CrossSigningKeyType.MASTER) && unchanged;
        if (!firstUpload && !replacesNothing) {
            authorise.run();
        }
        if (unchanged) {
            return;
        }
        List<String> obsolete = new ArrayList<>();
        uploaded.forEach((type, key) -> {
            ObjectNode old = stored.get(type);
            if (old != null && !old.equals(key)) {
                obsolete.add(KeySignatures.ED25519 + publicKey(old));
            }
        });
        // a new user-signing key alone is news to the user's own devices only: others never see it
        boolean othersSeeIt = uploaded.entrySet().stream()
                .anyMatch(e -> e.getKey() != CrossSigningKeyType.USER_SIGNING
                        && !e.getValue().equals(stored.get(e.getKey())));
        crossSigning.replace(user, uploaded, obsolete, othersSeeIt);
        deviceLists.crossSigningChanged(user, othersSeeIt);
    }

    private static void putIfPresent(
            Map<CrossSigningKeyType, ObjectNode> keys, CrossSigningKeyType type, @Nullable ObjectNode key) {
        if (key != null) {
            keys.put(type, key);
        }
    }

    private static void checkKey(UserId user, CrossSigningKeyType type, ObjectNode key, Set<String> deviceIds) {
        String field = type.usage() + "_key";
        String owner = KeysHandler.string(key, "user_id", field + ".user_id");
        if (!owner.equals(user.toString())) {
            throw MatrixException.invalidParam(field + ".user_id", "must be the requesting user " + user);
        }
        JsonNode usage = key.get("usage");
        if (usage == null || !usage.isArray()) {
            throw usage == null
                    ? MatrixException.missingParam(field + ".usage")
                    : MatrixException.badJson("'" + field + ".usage' must be an array of strings");
        }
        boolean hasUsage = false;
        for (JsonNode u : usage) {
            if (!u.isTextual()) {
                throw MatrixException.badJson("'" + field + ".usage' must be an array of strings");
            }
            hasUsage |= u.textValue().equals(type.usage());
        }
        if (!hasUsage) {
            throw MatrixException.invalidParam(field + ".usage", "must contain " + type.usage());
        }
        ObjectNode keys = KeysHandler.requireObject(key, "keys", field + ".keys");
        if (keys.size() != 1) {
            throw MatrixException.invalidParam(field + ".keys", "must hold exactly one key");
        }
        Map.Entry<String, JsonNode> only = keys.properties().iterator().next();
        if (!only.getValue().isTextual()) {
            throw MatrixException.badJson("'" + field + ".keys' values must be strings");
        }
        String publicKey = only.getValue().textValue();
        if (!only.getKey().equals(KeySignatures.ED25519 + publicKey)) {
            throw MatrixException.invalidParam(field + ".keys", "the key must be named ed25519:<public key>");
        }
        try {
            VerifyKey.fromBase64(publicKey);
        } catch (RuntimeException e) {
            throw MatrixException.invalidParam(field + ".keys", "not an ed25519 public key");
        }
        if (deviceIds.contains(publicKey)) {
            throw MatrixException.forbidden("Key ID in use: " + field + " has the id of a device");
        }
        JsonNode signatures = key.get("signatures");
        if (signatures != null && !signatures.isObject()) {
            throw MatrixException.badJson("'" + field + ".signatures' must be an object");
        }
    }

    // ---- POST /keys/signatures/upload ----

    /**
     * Verifies and stores the signatures by {@code requester} in {@code body} (user id to key id to signed
     * key); returns the response with a {@code failures} entry per key that was not accepted.
     */
    public SignatureFailures uploadSignatures(UserId requester, SignaturesUpload body) {
        Map<String, Map<String, SignatureFailures.Failure>> failures = new LinkedHashMap<>();
        List<KeySignature> accepted = new ArrayList<>();
        Set<UserId> changed = new LinkedHashSet<>();
        Map<UserId, UserId> changedForRequester = new LinkedHashMap<>();
        body.byUser().forEach((target, keys) -> {
            for (Map.Entry<String, JsonNode> forKey : keys.entrySet()) {
                try {
                    if (!(forKey.getValue() instanceof ObjectNode signed)) {
                        throw MatrixException.badJson("the signed key must be an object");
                    }
                    List<KeySignature> signatures = check(requester, target, forKey.getKey(), signed);
                    accepted.addAll(signatures);
                    if (!signatures.isEmpty() && target.equals(requester)) {
                        changed.add(target);
                    } else if (!signatures.isEmpty()) {
                        // a signature by the user-signing key is shown to the signer alone, whose
                        // devices learn that the other user's keys changed for them
                        changedForRequester.put(target, requester);
                    }
                } catch (MatrixException e) {
                    failures.computeIfAbsent(target.toString(), t -> new LinkedHashMap<>())
                            .put(
                                    forKey.getKey(),
                                    new SignatureFailures.Failure(e.errcode().value(), e.getMessage()));
                }
            }
        });
        crossSigning.addSignatures(accepted, changed, changedForRequester);
        if (changed.contains(requester)) {
            ownKeysSigned(requester, accepted);
        }
        if (!changedForRequester.isEmpty()) {
            deviceLists.wake(requester);
        }
        return new SignatureFailures(failures);
    }

    /** Tells the device list tracker which of {@code user}'s own keys {@code accepted} signed. */
    private void ownKeysSigned(UserId user, List<KeySignature> accepted) {
        Set<String> deviceIds = new LinkedHashSet<>();
        deviceStore.list(user).forEach(d -> deviceIds.add(d.deviceId().value()));
        Set<DeviceId> devices = new LinkedHashSet<>();
        boolean crossSigningKeys = false;
        for (KeySignature s : accepted) {
            if (!s.target().equals(user)) {
                continue;
            }
            if (deviceIds.contains(s.targetKey())) {
                devices.add(new DeviceId(s.targetKey()));
            } else {
                crossSigningKeys = true;
            }
        }
        deviceLists.ownKeysSigned(user, devices, crossSigningKeys);
    }

    /** The new, verified signatures by {@code requester} in {@code signed}, which must be a known key of {@code target}. */
    private List<KeySignature> check(UserId requester, UserId target, String keyId, ObjectNode signed) {
        Map<CrossSigningKeyType, ObjectNode> targetKeys = crossSigning.keys(target);
        ObjectNode master = targetKeys.get(CrossSigningKeyType.MASTER);
        Optional<ObjectNode> storedKey;
        String signerKind;
        Map<String, String> signerKeys = new java.util.HashMap<>();
        if (target.equals(requester) && master != null && publicKey(master).equals(keyId)) {
            storedKey = Optional.of(master);
            signerKind = "one of the user's devices";
            e2eKeys.deviceKeys(requester).forEach((device, keys) -> {
                String id = KeySignatures.ED25519 + device.value();
                JsonNode key = keys.path("keys").get(id);
                if (key != null && key.isTextual()) {
                    signerKeys.put(id, key.textValue());
                }
            });
        } else if (target.equals(requester)) {
            DeviceId device;
            try {
                device = DeviceId.parse(keyId);
            } catch (RuntimeException e) {
                throw notFound(keyId);
            }
            storedKey = e2eKeys.deviceKeys(requester, device);
            signerKind = "the user's self-signing key";
            Optional.ofNullable(targetKeys.get(CrossSigningKeyType.SELF_SIGNING))
                    .map(CrossSigning::publicKey)
                    .ifPresent(k -> signerKeys.put(KeySignatures.ED25519 + k, k));
        } else {
            storedKey = Optional.ofNullable(master).filter(m -> publicKey(m).equals(keyId));
            signerKind = "the user's user-signing key";
            crossSigning
                    .key(requester, CrossSigningKeyType.USER_SIGNING)
                    .map(CrossSigning::publicKey)
                    .ifPresent(k -> signerKeys.put(KeySignatures.ED25519 + k, k));
        }
        if (storedKey.isEmpty()) {
            throw notFound(keyId);
        }
        if (!KeySignatures.signedContent(storedKey.get()).equals(KeySignatures.signedContent(signed))) {
            throw KeysHandler.invalidSignature("the signed key does not match the stored key " + keyId);
        }
        JsonNode mine = signed.path("signatures").path(requester.toString());
        if (!mine.isObject() || mine.isEmpty()) {
            throw KeysHandler.invalidSignature("no signature by " + requester);
        }
        List<KeySignature> result = new ArrayList<>();
        for (Map.Entry<String, JsonNode> signature : mine.properties()) {
            String signerKeyId = signature.getKey();
            if (!signature.getValue().isTextual()) {
                throw MatrixException.badJson("signatures must be strings");
            }
            String value = signature.getValue().textValue();
            boolean alreadyThere = KeySignatures.signature(storedKey.get(), requester.toString(), signerKeyId)
                    .map(value::equals)
                    .orElse(false);
            if (alreadyThere) {
                continue;
            }
            String publicKey = signerKeys.get(signerKeyId);
            if (publicKey == null) {
                throw KeysHandler.invalidSignature(signerKeyId + " is not " + signerKind);
            }
            if (!KeySignatures.verifies(signed, value, publicKey)) {
                throw KeysHandler.invalidSignature("the signature by " + signerKeyId + " does not verify");
            }
            result.add(new KeySignature(target, keyId, requester, signerKeyId, value));
        }
        return result;
    }

    private static MatrixException notFound(String keyId) {
        return new MatrixException(404, ErrorCode.NOT_FOUND, "No key " + keyId + " to sign");
    }
}
