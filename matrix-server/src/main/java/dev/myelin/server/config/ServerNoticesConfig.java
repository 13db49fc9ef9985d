package dev.myelin.server.config;

import java.util.Optional;

/**
 * {@code server_notices} of {@code homeserver.yaml}, with Synapse's keys: the user that sends
 * server notices (created when first needed) and the room it makes with each recipient.
 *
 * @param systemMxidLocalpart {@code system_mxid_localpart}: the notices user's localpart
 * @param systemMxidDisplayName {@code system_mxid_display_name}
 * @param systemMxidAvatarUrl {@code system_mxid_avatar_url}
 * @param roomName {@code room_name}: the name of each notices room (Synapse's default "Server Notices")
 */
public record ServerNoticesConfig(
        String systemMxidLocalpart,
        Optional<String> systemMxidDisplayName,
        Optional<String> systemMxidAvatarUrl,
        String roomName) {

    static Optional<ServerNoticesConfig> read(ConfigNode node) {
        if (!node.isPresent()) {
            return Optional.empty();
        }
        Optional<String> localpart = node.get("system_mxid_localpart").string();
        if (localpart.isEmpty()) {
            return Optional.empty();
        }
        if (!localpart.get().matches("[a-z0-9._=/+-]+")) {
            throw node.get("system_mxid_localpart").error("is not a valid user id localpart: " + localpart.get());
        }
        return Optional.of(new ServerNoticesConfig(
                localpart.get(),
                node.get("system_mxid_display_name").string(),
                node.get("system_mxid_avatar_url").string(),
                node.get("room_name").string().orElse("Server Notices")));
    }
}
