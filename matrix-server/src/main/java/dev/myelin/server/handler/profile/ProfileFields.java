package dev.myelin.server.handler.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.json.CanonicalJsonException;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.account.Profile;
import dev.myelin.storage.account.ProfileStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A user's whole profile as the spec (v1.16) has it: the display name and avatar URL that
 * {@link ProfileHandler} keeps (and copies into membership events), and any number of custom fields
 * ({@code m.tz} and namespaced keys), whose values may be any JSON. Custom fields are stored apart
 * from the two classic ones; the profile as a whole must stay under {@link #MAX_PROFILE_BYTES} of
 * canonical JSON.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#profiles">Profiles</a>
 */
public final class ProfileFields {
    /** The spec's limit on a whole profile, as canonical JSON. */
    public static final int MAX_PROFILE_BYTES = 64 * 1024;
    /** The spec's limit on a key, in bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 255;

    private static final Pattern KEY = Pattern.compile("m\\.tz|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    private final ServerName serverName;
    private final ProfileHandler classic;
    private final ProfileStore store;

    public ProfileFields(ServerName serverName, ProfileHandler classic, ProfileStore store) {
        this.serverName = serverName;
        this.classic = classic;
        this.store = store;
    }

    /**
     * The whole profile of a user: the classic fields when set and every custom field. Another
     * server's users have what that server answers (the classic fields). 404 for unknown users.
     */
    public ObjectNode profile(UserId user) {
        Profile profile = classic.get(user);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        profile.avatarUrl().ifPresent(v -> json.put(ProfileHandler.Field.AVATAR_URL.key(), v));
        profile.displayName().ifPresent(v -> json.put(ProfileHandler.Field.DISPLAYNAME.key(), v));
        if (user.server().equals(serverName)) {
            for (Map.Entry<String, String> field : store.fields(user).entrySet()) {
                json.set(field.getKey(), CanonicalJson.parse(field.getValue()));
            }
        }
        return json;
    }

    /** One field of a user's profile; 404 {@code M_NOT_FOUND} when it is not set. */
    public JsonNode field(UserId user, String key) {
        Optional<ProfileHandler.Field> classicField = classicField(key);
        if (classicField.isPresent()) {
            return classic.get(user, classicField.get())
                    .<JsonNode>map(JsonNodeFactory.instance::textNode)
                    .orElseThrow(() -> MatrixException.notFound("Profile field not set"));
        }
        checkKey(key);
        JsonNode value = profile(user).get(key);
        if (value == null) {
            throw MatrixException.notFound("Profile field not set");
        }
        return value;
    }

    /** Sets a field of one's own profile; the classic fields go through {@link ProfileHandler}. */
    public void set(UserId requester, UserId target, String key, JsonNode value) {
        Optional<ProfileHandler.Field> classicField = classicField(key);
        if (classicField.isPresent()) {
            if (!value.isTextual()) {
                throw MatrixException.badJson("'" + key + "' must be a string");
            }
            classic.set(requester, target, classicField.get(), Optional.of(value.textValue()));
            return;
        }
        checkKey(key);
        if (key.equals("m.tz") && !value.isTextual()) {
            throw MatrixException.badJson("'m.tz' must be a string naming a time zone");
        }
        checkOwn(requester, target);
        String json;
        try {
            json = CanonicalJson.encodeToString(value);
        } catch (CanonicalJsonException e) {
            throw MatrixException.badJson("'" + key + "' is not valid canonical JSON: " + e.getMessage());
        }
        ObjectNode after = profile(target);
        after.set(key, value);
        if (CanonicalJson.encodeLenient(after).length >= MAX_PROFILE_BYTES) {
            throw new MatrixException(
                    400, ErrorCode.PROFILE_TOO_LARGE, "The profile would exceed " + MAX_PROFILE_BYTES + " bytes");
        }
        store.setField(target, key, json);
    }

    /** Removes a field of one's own profile (clearing a classic one); removing an unset field is fine. */
    public void delete(UserId requester, UserId target, String key) {
        Optional<ProfileHandler.Field> classicField = classicField(key);
        if (classicField.isPresent()) {
            classic.set(requester, target, classicField.get(), Optional.empty());
            return;
        }
        checkKey(key);
        checkOwn(requester, target);
        store.deleteField(target, key);
    }

    private void checkOwn(UserId requester, UserId target) {
        if (!requester.equals(target)) {
            throw MatrixException.forbidden("Cannot change another user's profile");
        }
        classic.get(target); // 404 for accounts that do not exist
    }

    private static Optional<ProfileHandler.Field> classicField(String key) {
        for (ProfileHandler.Field field : ProfileHandler.Field.values()) {
            if (field.key().equals(key)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    private static void checkKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new MatrixException(
                    400, ErrorCode.KEY_TOO_LARGE, "Profile keys must be at most " + MAX_KEY_BYTES + " bytes");
        }
        if (!KEY.matcher(key).matches()) {
            throw MatrixException.invalidParam(
                    "keyName", "must be displayname, avatar_url, m.tz or a namespaced key such as com.example.field");
        }
    }
}
