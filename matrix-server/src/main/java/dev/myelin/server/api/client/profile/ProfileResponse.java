package dev.myelin.server.api.client.profile;

import org.jspecify.annotations.Nullable;

/**
 * A profile, or one field of it: the display name and avatar URL, each only when set.
 *
 * @param displayname the display name
 * @param avatarUrl the avatar's {@code mxc://} URI
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3profileuserid">spec</a>
 */
public record ProfileResponse(
        @Nullable String displayname, @Nullable String avatarUrl) {}
