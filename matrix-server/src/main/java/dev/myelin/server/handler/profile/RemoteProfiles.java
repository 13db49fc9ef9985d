package dev.myelin.server.handler.profile;

import dev.myelin.core.id.UserId;
import dev.myelin.storage.account.Profile;

/**
 * Where the profiles of other servers' users come from: their server, asked over federation.
 */
@FunctionalInterface
public interface RemoteProfiles {

    /**
     * The profile of {@code user}, a user of another server.
     *
     * @throws dev.myelin.http.error.MatrixException 404 {@code M_NOT_FOUND} when that server has no
     *     such user, 502 when it cannot be asked
     */
    Profile fetch(UserId user);

    /** No federation: every remote user is unknown. */
    RemoteProfiles NONE = user -> {
        throw dev.myelin.http.error.MatrixException.notFound("Profile not found");
    };
}
