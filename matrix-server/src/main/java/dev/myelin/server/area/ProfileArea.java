package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.profile.DeleteProfileFieldEndpoint;
import dev.myelin.server.api.client.profile.GetCustomProfileFieldEndpoint;
import dev.myelin.server.api.client.profile.GetProfileEndpoint;
import dev.myelin.server.api.client.profile.GetProfileFieldEndpoint;
import dev.myelin.server.api.client.profile.SetCustomProfileFieldEndpoint;
import dev.myelin.server.api.client.profile.SetProfileFieldEndpoint;
import dev.myelin.server.handler.profile.FederatedProfiles;
import dev.myelin.server.handler.profile.ProfileFields;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.storage.account.ProfileStore;

/**
 * Users' profiles: display names and avatars, and custom fields. Offers the profile store, which registration fills and
 * membership events copy from.
 */
public final class ProfileArea {
    private final ProfileStore profiles;
    private final ProfileHandler handler;

    private ProfileArea(ProfileStore profiles, ProfileHandler handler) {
        this.profiles = profiles;
        this.handler = handler;
    }

    public static ProfileArea install(Router router, Core core, RoomCore rooms, FederationOutbound federation) {
        ProfileStore profiles = new ProfileStore(core.database());
        ProfileHandler handler = new ProfileHandler(
                core.serverName(),
                core.users(),
                profiles,
                rooms.state(),
                rooms.events(),
                rooms.creator(),
                new FederatedProfiles(federation.client().ignoringBackoff()));
        ProfileFields fields = new ProfileFields(core.serverName(), handler, profiles);
        router.register(new GetProfileEndpoint(fields));
        for (ProfileHandler.Field field : ProfileHandler.Field.values()) {
            router.register(new GetProfileFieldEndpoint(handler, field));
            router.register(new SetProfileFieldEndpoint(handler, field));
            router.register(DeleteProfileFieldEndpoint.forKey(fields, field.key()));
        }
        router.register(new GetCustomProfileFieldEndpoint(fields));
        router.register(new SetCustomProfileFieldEndpoint(fields));
        router.register(new DeleteProfileFieldEndpoint(fields));
        return new ProfileArea(profiles, handler);
    }

    public ProfileStore store() {
        return profiles;
    }

    /** Profile reads and writes, for the federation profile query. */
    public ProfileHandler handler() {
        return handler;
    }
}
