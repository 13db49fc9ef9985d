package dev.myelin.server.api.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /_matrix/client/v3/capabilities}: what clients may do here. Password and profile
 * changes (every profile field) and login tokens for a new device are on; third-party id changes
 * are off. Every room version the core implements is stable.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3capabilities">spec</a>
 */
public final class CapabilitiesEndpoint extends JsonEndpoint<NoBody, CapabilitiesEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/capabilities", Response.class);

    /** The capabilities. */
    public record Response(Capabilities capabilities) {}

    /** Each capability this server announces. */
    public record Capabilities(
            @JsonProperty("m.change_password") Toggle changePassword,
            @JsonProperty("m.room_versions") RoomVersionsCapability roomVersions,
            @JsonProperty("m.set_displayname") Toggle setDisplayname,
            @JsonProperty("m.set_avatar_url") Toggle setAvatarUrl,
            @JsonProperty("m.3pid_changes") Toggle threePidChanges,
            @JsonProperty("m.get_login_token") Toggle getLoginToken,
            @JsonProperty("m.profile_fields") Toggle profileFields) {}

    /** A capability that is on or off. */
    public record Toggle(boolean enabled) {}

    /** The default room version and the stability of each available one. */
    public record RoomVersionsCapability(
            @JsonProperty("default") String defaultVersion, Map<String, String> available) {}

    private final RoomVersion defaultRoomVersion;
    private final boolean threePidChanges;

    /** @param threePidChanges {@code enable_3pid_changes}: whether users may add and remove 3PIDs */
    public CapabilitiesEndpoint(RoomVersion defaultRoomVersion, boolean threePidChanges) {
        super(SPEC);
        this.defaultRoomVersion = defaultRoomVersion;
        this.threePidChanges = threePidChanges;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        Map<String, String> available = new LinkedHashMap<>();
        RoomVersions.all().forEach(v -> available.put(v.id(), "stable"));
        return new Response(new Capabilities(
                new Toggle(true),
                new RoomVersionsCapability(defaultRoomVersion.id(), available),
                new Toggle(true),
                new Toggle(true),
                new Toggle(threePidChanges),
                new Toggle(true),
                new Toggle(true)));
    }
}
