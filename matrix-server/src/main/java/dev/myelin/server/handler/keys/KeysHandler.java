package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.api.federation.UserKeysClaimEndpoint;
import dev.myelin.server.api.federation.UserKeysQueryEndpoint;
import dev.myelin.storage.account.Device;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.keys.CrossSigningKeyType;
import dev.myelin.storage.keys.CrossSigningStore;
import dev.myelin.storage.keys.E2eKeyStore;
import dev.myelin.storage.keys.KeySignature;
import dev.myelin.storage.keys.OneTimeKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Device keys: uploading identity, one-time and fallback keys, querying users' keys and claiming one-time
 * keys, for this server's clients and, for this server's users, for other servers. Other servers' users'
 * keys are asked of their servers each time ({@link RemoteKeys}); a server that fails is reported under
 * {@code failures}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#device-keys">Device keys</a>
 */
public final class KeysHandler {
    /** Always reported in one-time key counts, as clients treat an absent count as "unknown", not zero. */
    public static final String SIGNED_CURVE25519 = "signed_curve25519";

    private static final Pattern ALGORITHM = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern KEY_ID = Pattern.compile("[^:\\s]{1,200}");

    private final ServerName serverName;
    private final E2eKeyStore e2eKeys;
    private final CrossSigningStore crossSigningStore;
    private final DeviceStore deviceStore;
    private final DeviceLists deviceLists;
    private final RemoteKeys remoteKeys;
    private final RemoteDeviceLists remoteLists;

    public KeysHandler(
            ServerName serverName,
            E2eKeyStore e2eKeys,
            CrossSigningStore crossSigningStore,
            DeviceStore deviceStore,
            DeviceLists deviceLists,
            RemoteKeys remoteKeys,
            RemoteDeviceLists remoteLists) {
        this.serverName = serverName;
        this.e2eKeys = e2eKeys;
        this.crossSigningStore = crossSigningStore;
        this.deviceStore = deviceStore;
        this.deviceLists = deviceLists;
        this.remoteKeys = remoteKeys;
        this.remoteLists = remoteLists;
    }

    // ---- POST /keys/upload ----

    /**
     * Validates and stores the keys of the requesting device; returns the {@code one_time_key_counts}
     * response. Nothing is stored when any part is invalid.
     */
    public OneTimeKeyCounts upload(UserId user, DeviceId device, KeysUpload body) {
        Optional<ObjectNode> deviceKeys =
                Optional.ofNullable(body.deviceKeys()).map(k -> checkDeviceKeys(user, device, k));
        List<OneTimeKey> oneTimeKeys = keyMap(body.oneTimeKeys(), "one_time_keys");
        List<OneTimeKey> fallbackKeys = keyMap(body.fallbackKeys(), "fallback_keys");
        Set<String> fallbackAlgorithms = new HashSet<>();
        for (OneTimeKey key : fallbackKeys) {
            if (!fallbackAlgorithms.add(key.algorithm())) {
                throw MatrixException.invalidParam("fallback_keys", "at most one key per algorithm");
            }
        }
        E2eKeyStore.UploadOutcome outcome =
                e2eKeys.upload(user, device, deviceKeys.orElse(null), oneTimeKeys, fallbackKeys);
        if (outcome.conflict().isPresent()) {
            throw MatrixException.invalidParam(
                    "one_time_keys", "one-time key " + outcome.conflict().get() + " already exists with other content");
        }
        if (outcome.deviceKeysChanged()) {
            deviceLists.deviceKeysChanged(user, device);
        }
        return new OneTimeKeyCounts(counts(outcome.oneTimeKeyCounts()));
    }

    /** Unclaimed one-time key counts as sent to clients: {@code signed_curve25519} is always present. */
    public static Map<String, Integer> counts(Map<String, Integer> counts) {
        Map<String, Integer> all = new LinkedHashMap<>();
        all.put(SIGNED_CURVE25519, 0);
        all.putAll(counts);
        return all;
    }

    /**
     * Checks the shape of uploaded device keys and that they are the requesting device's. Their
     * signatures are not checked: the clients that use the keys verify them (against keys they
     * trust, which the server cannot know), so the server stores what the device sent, as other
     * homeservers do.
     */
    private static ObjectNode checkDeviceKeys(UserId user, DeviceId device, ObjectNode keys) {
        String userId = shapeString(keys, "user_id");
        String deviceId = shapeString(keys, "device_id");
        if (!userId.equals(user.toString())) {
            throw MatrixException.invalidParam("device_keys.user_id", "must be the requesting user " + user);
        }
        if (!deviceId.equals(device.value())) {
            throw MatrixException.invalidParam("device_keys.device_id", "must be the requesting device " + device);
        }
        JsonNode algorithms = keys.get("algorithms");
        if (algorithms == null || !algorithms.isArray()) {
            throw MatrixException.badJson("'device_keys.algorithms' must be an array of strings");
        }
        algorithms.forEach(a -> {
            if (!a.isTextual()) {
                throw MatrixException.badJson("'device_keys.algorithms' must be an array of strings");
            }
        });
        JsonNode identityKeys = keys.get("keys");
        if (identityKeys == null || !identityKeys.isObject()) {
            throw MatrixException.badJson("'device_keys.keys' must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> key : identityKeys.properties()) {
            if (!key.getValue().isTextual()) {
                throw MatrixException.badJson("'device_keys.keys' must be an object of strings");
            }
            int colon = key.getKey().indexOf(':');
            if (colon <= 0 || colon == key.getKey().length() - 1) {
                throw MatrixException.invalidParam(
                        "device_keys.keys", "key names must be <algorithm>:<key id>, not " + key.getKey());
            }
        }
        JsonNode signatures = keys.get("signatures");
        if (signatures == null || !signatures.isObject()) {
            throw MatrixException.badJson("'device_keys.signatures' must be an object");
        }
        for (JsonNode bySigner : signatures) {
            if (!bySigner.isObject()) {
                throw MatrixException.badJson("'device_keys.signatures' must map users to objects of strings");
            }
            bySigner.forEach(signature -> {
                if (!signature.isTextual()) {
                    throw MatrixException.badJson("'device_keys.signatures' must map users to objects of strings");
                }
            });
        }
        ObjectNode stored = keys.deepCopy();
        stored.remove("unsigned");
        return stored;
    }

    /** A required string of {@code device_keys}; absent or not a string is a malformed body. */
    private static String shapeString(ObjectNode keys, String field) {
        JsonNode node = keys.get(field);
        if (node == null || !node.isTextual()) {
            throw MatrixException.badJson("'device_keys." + field + "' must be a string");
        }
        return node.textValue();
    }

    /**
     * One-time or fallback keys by {@code <algorithm>:<key id>}. Signed keys are not verified, for
     * the reason {@link #checkDeviceKeys} gives.
     */
    private static List<OneTimeKey> keyMap(@Nullable ObjectNode map, String field) {
        if (map == null) {
            return List.of();
        }
        List<OneTimeKey> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            String name = entry.getKey();
            int colon = name.indexOf(':');
            String algorithm = colon < 0 ? name : name.substring(0, colon);
            String keyId = colon < 0 ? "" : name.substring(colon + 1);
            if (!ALGORITHM.matcher(algorithm).matches()
                    || !KEY_ID.matcher(keyId).matches()) {
                throw MatrixException.invalidParam(field, "key names must be <algorithm>:<key id>, not " + name);
            }
            JsonNode key = entry.getValue();
            if (key.isTextual()) {
                if (key.textValue().isEmpty()) {
                    throw MatrixException.invalidParam(field, name + " is empty");
                }
            } else if (key.isObject()) {
                if (!key.path("key").isTextual()) {
                    throw MatrixException.badJson("'" + field + "." + name + ".key' must be a string");
                }
                JsonNode signatures = key.get("signatures");
                if (signatures != null && !signatures.isObject()) {
                    throw MatrixException.badJson("'" + field + "." + name + ".signatures' must be an object");
                }
            } else {
                throw MatrixException.badJson("'" + field + "." + name + "' must be a string or an object");
            }
            keys.add(new OneTimeKey(algorithm, keyId, key));
        }
        return keys;
    }

    // ---- POST /keys/query ----

    /**
     * The device and cross-signing keys of the users in {@code device_keys}, as {@code requester} may see them:
     * this server's users from the database, other servers' users sharing a room with a local user from
     * the device list cache ({@link RemoteDeviceLists}), the others asked of their servers.
     */
    public KeysQueryResult query(UserId requester, KeysQuery body) {
        KeysQueryResult result = emptyResult();
        Map<ServerName, Map<String, List<String>>> remote = new LinkedHashMap<>();
        body.byUser().forEach((user, devices) -> {
            if (user.server().equals(serverName)) {
                addLocalKeys(result, user, devices, Optional.of(requester));
                return;
            }
            Optional<RemoteDeviceLists.CachedKeys> cached = remoteLists.keys(user);
            if (cached.isPresent()) {
                addCachedKeys(result, user, devices, cached.get());
            } else {
                remote.computeIfAbsent(user.server(), s -> new LinkedHashMap<>())
                        .put(user.toString(), List.copyOf(devices));
            }
        });
        Map<ServerName, KeysQuery> bodies = new LinkedHashMap<>();
        remote.forEach((server, users) -> bodies.put(server, new KeysQuery(users, null)));
        RemoteKeys.Answers<UserKeysQueryEndpoint.Response> answers =
                remoteKeys.ask(UserKeysQueryEndpoint.SPEC, bodies, body.remoteTimeout());
        result.failures().putAll(answers.failures());
        answers.answers().forEach((server, answer) -> {
            Set<String> asked = remote.get(server).keySet();
            // another server's answer holds only the users asked of it, whatever else it sends
            answer.deviceKeys().forEach((user, devices) -> {
                if (asked.contains(user) && devices != null) {
                    Map<String, ObjectNode> kept = new LinkedHashMap<>();
                    devices.forEach((device, keys) -> {
                        if (keys != null) {
                            kept.put(device, keys);
                        }
                    });
                    result.deviceKeys().put(user, kept);
                }
            });
            copyAsked(answer.masterKeys(), asked, result.masterKeys());
            copyAsked(answer.selfSigningKeys(), asked, result.selfSigningKeys());
        });
        return result;
    }

    /**
     * The device and cross-signing keys of this server's users in {@code device_keys}, for another server: the
     * signatures the users made themselves, no user-signing keys and no device display names (which could
     * tell other servers where a user is), as Synapse serves them by default.
     *
     * @throws MatrixException 400 {@code M_INVALID_PARAM} when a user is not one of this server's
     */
    public UserKeysQueryEndpoint.Response queryForServer(KeysQuery body) {
        KeysQueryResult result = emptyResult();
        Map<UserId, Set<String>> wanted = body.byUser();
        for (UserId user : wanted.keySet()) {
            if (!user.server().equals(serverName)) {
                throw MatrixException.invalidParam("device_keys", user + " is not a user of this server");
            }
        }
        wanted.forEach((user, devices) -> addLocalKeys(result, user, devices, Optional.empty()));
        return new UserKeysQueryEndpoint.Response(result.deviceKeys(), result.masterKeys(), result.selfSigningKeys());
    }

    /**
     * Adds the keys of {@code user}, one of this server's, to {@code result}: with the device display names and
     * the signatures {@code requester} may see when a local user asks, without them when another server does.
     */
    private void addLocalKeys(KeysQueryResult result, UserId user, Set<String> devices, Optional<UserId> requester) {
        List<KeySignature> signatures = crossSigningStore.signaturesOn(user);
        Map<String, Optional<String>> displayNames = new LinkedHashMap<>();
        for (Device device : deviceStore.list(user)) {
            displayNames.put(device.deviceId().value(), device.displayName());
        }
        Map<String, ObjectNode> userDevices = new LinkedHashMap<>();
        result.deviceKeys().put(user.toString(), userDevices);
        e2eKeys.deviceKeys(user).forEach((device, keys) -> {
            Optional<String> name = displayNames.get(device.value());
            if (name == null || (!devices.isEmpty() && !devices.contains(device.value()))) {
                return;
            }
            ObjectNode json = withSignatures(keys, device.value(), signatures, requester);
            ObjectNode unsigned = json.putObject("unsigned");
            if (requester.isPresent()) {
                name.ifPresent(n -> unsigned.put("device_display_name", n));
            }
            userDevices.put(device.value(), json);
        });
        Map<CrossSigningKeyType, ObjectNode> crossSigning = crossSigningStore.keys(user);
        addCrossSigningKey(
                result.masterKeys(), user, crossSigning.get(CrossSigningKeyType.MASTER), signatures, requester);
        addCrossSigningKey(
                result.selfSigningKeys(),
                user,
                crossSigning.get(CrossSigningKeyType.SELF_SIGNING),
                signatures,
                requester);
        if (requester.isPresent() && user.equals(requester.get())) {
            addCrossSigningKey(
                    result.userSigningKeys(),
                    user,
                    crossSigning.get(CrossSigningKeyType.USER_SIGNING),
                    signatures,
                    requester);
        }
    }

    /** Adds the cached keys of {@code user}, another server's, to {@code result}. */
    private static void addCachedKeys(
            KeysQueryResult result, UserId user, Set<String> devices, RemoteDeviceLists.CachedKeys cached) {
        Map<String, ObjectNode> userDevices = new LinkedHashMap<>();
        cached.devices().forEach((device, keys) -> {
            if (devices.isEmpty() || devices.contains(device)) {
                userDevices.put(device, keys);
            }
        });
        result.deviceKeys().put(user.toString(), userDevices);
        cached.masterKey().ifPresent(k -> result.masterKeys().put(user.toString(), k));
        cached.selfSigningKey().ifPresent(k -> result.selfSigningKeys().put(user.toString(), k));
    }

    /** A result to fill in, its maps keeping the order users are added in. */
    private static KeysQueryResult emptyResult() {
        return new KeysQueryResult(
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>(),
                new LinkedHashMap<>());
    }

    private static void copyAsked(
            @Nullable Map<String, ObjectNode> from, Set<String> asked, Map<String, ObjectNode> into) {
        if (from != null) {
            from.forEach((user, key) -> {
                if (asked.contains(user) && key != null) {
                    into.put(user, key);
                }
            });
        }
    }

    private static void addCrossSigningKey(
            Map<String, ObjectNode> into,
            UserId user,
            @Nullable ObjectNode key,
            List<KeySignature> signatures,
            Optional<UserId> requester) {
        if (key != null) {
            into.put(user.toString(), withSignatures(key, CrossSigning.publicKey(key), signatures, requester));
        }
    }

    /**
     * {@code key} with the uploaded signatures on {@code targetKey} merged in: those by the key's owner, seen by
     * everyone, and those by {@code requester} (signatures of other users' keys by one's user-signing key are
     * private to the signer, so another server asking sees none of them).
     */
    private static ObjectNode withSignatures(
            ObjectNode key, String targetKey, List<KeySignature> signatures, Optional<UserId> requester) {
        ObjectNode json = key.deepCopy();
        for (KeySignature s : signatures) {
            if (!s.targetKey().equals(targetKey)
                    || !(s.signer().equals(s.target())
                            || requester.map(s.signer()::equals).orElse(false))) {
                continue;
            }
            JsonNode all = json.get("signatures");
            ObjectNode signatureMap = all instanceof ObjectNode o ? o : json.putObject("signatures");
            JsonNode bySigner = signatureMap.get(s.signer().toString());
            ObjectNode signerMap = bySigner instanceof ObjectNode o
                    ? o
                    : signatureMap.putObject(s.signer().toString());
            signerMap.put(s.signerKeyId(), s.signature());
        }
        return json;
    }

    // ---- POST /keys/claim ----

    /**
     * Claims one key per requested device and algorithm: of this server's users from the database, of other
     * servers' users from their servers. Unknown users and devices are left out.
     */
    public ClaimedKeys claim(KeysClaim body) {
        Map<String, Map<String, String>> local = new LinkedHashMap<>();
        Map<ServerName, Map<String, Map<String, String>>> remote = new LinkedHashMap<>();
        body.oneTimeKeys().forEach((user, devices) -> {
            ServerName server = UserId.parse(user).server();
            if (server.equals(serverName)) {
                local.put(user, devices);
            } else {
                remote.computeIfAbsent(server, s -> new LinkedHashMap<>()).put(user, devices);
            }
        });
        Map<String, Map<String, Map<String, JsonNode>>> claimed = claimLocal(new KeysClaim(local, null));
        Map<ServerName, KeysClaim> bodies = new LinkedHashMap<>();
        remote.forEach((server, users) -> bodies.put(server, new KeysClaim(users, null)));
        RemoteKeys.Answers<UserKeysClaimEndpoint.Response> answers =
                remoteKeys.ask(UserKeysClaimEndpoint.SPEC, bodies, body.remoteTimeout());
        answers.answers()
                .forEach((server, answer) -> answer.oneTimeKeys().forEach((user, devices) -> {
                    // another server's answer holds only the users asked of it, whatever else it sends
                    if (remote.get(server).containsKey(user) && devices != null) {
                        claimed.put(user, devices);
                    }
                }));
        return new ClaimedKeys(claimed, answers.failures());
    }

    /** Claims one key per requested device and algorithm of this server's users; the others are left out. */
    public Map<String, Map<String, Map<String, JsonNode>>> claimLocal(KeysClaim body) {
        Map<String, Map<String, Map<String, JsonNode>>> claimed = new LinkedHashMap<>();
        body.byUser().forEach((user, devices) -> {
            if (!user.server().equals(serverName)) {
                return;
            }
            devices.forEach((device, algorithm) -> e2eKeys.claim(user, device, algorithm)
                    .ifPresent(key -> claimed.computeIfAbsent(user.toString(), u -> new LinkedHashMap<>())
                            .put(device.value(), Map.of(key.name(), key.key()))));
        });
        return claimed;
    }

    // ---- shared ----

    static UserId userId(String value, String field) {
        try {
            return UserId.parse(value);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam(field, e.getMessage());
        }
    }

    static MatrixException invalidSignature(String message) {
        return new MatrixException(400, ErrorCode.INVALID_SIGNATURE, message);
    }

    // Fields inside signed key objects, which stay JSON so that what was signed is checked and stored as sent;
    // request bodies themselves are bound to records (KeysUpload, KeysQuery, KeysClaim, CrossSigningUpload).

    static ObjectNode requireObject(ObjectNode body, String field, String name) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw MatrixException.missingParam(name);
        }
        if (!node.isObject()) {
            throw MatrixException.badJson("'" + name + "' must be an object");
        }
        return (ObjectNode) node;
    }

    static String string(ObjectNode body, String field, String name) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw MatrixException.missingParam(name);
        }
        if (!node.isTextual()) {
            throw MatrixException.badJson("'" + name + "' must be a string");
        }
        return node.textValue();
    }
}
