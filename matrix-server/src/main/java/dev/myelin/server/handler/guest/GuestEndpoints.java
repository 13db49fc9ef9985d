package dev.myelin.server.handler.guest;

import dev.myelin.http.server.HttpMethod;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Client-Server endpoints a guest account may call: the spec's list (Guest Access module,
 * "Client behaviour") and the few more Synapse opens to guests and that clients rely on. Each is
 * its method and path template under {@code /_matrix/client/<version>}; every other endpoint
 * answers a guest 403 {@code M_GUEST_ACCESS_FORBIDDEN}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#client-behaviour-13">Guest access:
 *     client behaviour</a>
 */
public final class GuestEndpoints {
    private static final Pattern CLIENT = Pattern.compile("^/_matrix/client/[^/]+(/.*)$");

    /** {@code METHOD template} of each endpoint guests may call, the template after the version. */
    static final Set<String> ALLOWED = Set.of(
            // retrieving events and media (spec)
            "GET /rooms/{roomId}/state",
            "GET /rooms/{roomId}/context/{eventId}",
            "GET /rooms/{roomId}/event/{eventId}",
            "GET /rooms/{roomId}/state/{eventType}/{stateKey...}",
            "GET /rooms/{roomId}/messages",
            "GET /rooms/{roomId}/members",
            "GET /rooms/{roomId}/initialSync",
            "GET /sync",
            "GET /events",
            "GET /media/download/{serverName}/{mediaId}",
            "GET /media/download/{serverName}/{mediaId}/{fileName}",
            "GET /media/thumbnail/{serverName}/{mediaId}",
            // sending events (spec), and joining by alias as Synapse allows
            "POST /rooms/{roomId}/join",
            "POST /join/{roomIdOrAlias}",
            "POST /rooms/{roomId}/leave",
            "PUT /rooms/{roomId}/send/{eventType}/{txnId}",
            "POST /rooms/{roomId}/send/{eventType}",
            "PUT /rooms/{roomId}/state/{eventType}/{stateKey...}",
            "PUT /sendToDevice/{eventType}/{txnId}",
            // account maintenance (spec): the display name only among profile fields
            "PUT /profile/{userId}/displayname",
            "DELETE /profile/{userId}/displayname",
            "GET /profile/{userId}",
            "GET /profile/{userId}/displayname",
            "GET /profile/{userId}/avatar_url",
            "GET /profile/{userId}/{keyName}",
            "GET /devices",
            "GET /devices/{deviceId}",
            "PUT /devices/{deviceId}",
            "GET /account/whoami",
            "POST /logout",
            // end-to-end encryption (spec, and Synapse's key changes and signatures)
            "POST /keys/upload",
            "POST /keys/query",
            "POST /keys/claim",
            "GET /keys/changes",
            "POST /keys/signatures/upload",
            // room discovery Synapse opens to guests
            "GET /joined_rooms",
            "GET /publicRooms",
            "POST /publicRooms",
            "GET /rooms/{roomId}/hierarchy",
            "GET /rooms/{roomId}/relations/{eventId}",
            "GET /capabilities");

    private GuestEndpoints() {}

    /**
     * Whether a guest may call the endpoint of {@code method} and {@code template}; endpoints
     * outside {@code /_matrix/client} (admin, legacy media uploads) are closed to guests.
     */
    public static boolean allows(HttpMethod method, String template) {
        return clientSuffix(template)
                .map(path -> ALLOWED.contains(method + " " + path))
                .orElse(false);
    }

    /** The template after {@code /_matrix/client/<version>}, when it is a Client-Server path. */
    static Optional<String> clientSuffix(String template) {
        Matcher m = CLIENT.matcher(template);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
