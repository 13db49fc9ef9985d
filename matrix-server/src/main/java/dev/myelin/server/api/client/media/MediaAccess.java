package dev.myelin.server.api.client.media;

import dev.myelin.http.server.AuthRequirement;

/** Which family of media endpoints: the authenticated ones, or the deprecated unauthenticated ones. */
public enum MediaAccess {
    /** {@code /_matrix/client/v1/media/...}: an access token is required; serves all local media. */
    AUTHENTICATED("/_matrix/client/v1/media", AuthRequirement.REQUIRED),
    /**
     * {@code /_matrix/media/v3/...}: no token; with {@code enable_authenticated_media} on, serves
     * only media uploaded before it was turned on (the spec's freeze).
     */
    LEGACY("/_matrix/media/v3", AuthRequirement.NONE);

    private final String prefix;
    private final AuthRequirement auth;

    MediaAccess(String prefix, AuthRequirement auth) {
        this.prefix = prefix;
        this.auth = auth;
    }

    String prefix() {
        return prefix;
    }

    AuthRequirement auth() {
        return auth;
    }
}
