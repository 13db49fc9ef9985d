package dev.myelin.storage.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import java.util.Optional;

/**
 * A pusher as stored: where and how to push a user's notifications.
 *
 * @param user     whose notifications it receives
 * @param appId    reverse-DNS id of the application
 * @param pushkey  the destination (e.g. an APNS token); unique per app together with {@code appId}
 * @param kind     {@code http} (the only kind this server accepts)
 * @param deviceId the device whose access token set it, if any
 * @param json     the pusher as {@code GET /pushers} serves it
 * @param pushkeyTs when the pusher was last set, in milliseconds since the epoch (0 before it is stored)
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3pushersset">POST /pushers/set</a>
 */
public record Pusher(
        UserId user,
        String appId,
        String pushkey,
        String kind,
        Optional<DeviceId> deviceId,
        ObjectNode json,
        long pushkeyTs) {
    /** Keeps a copy of the pusher's JSON. */
    public Pusher {
        json = json.deepCopy();
    }

    /** A pusher to store: the store sets when it was set. */
    public Pusher(
            UserId user, String appId, String pushkey, String kind, Optional<DeviceId> deviceId, ObjectNode json) {
        this(user, appId, pushkey, kind, deviceId, json, 0);
    }

    /**
     * The pusher as the client set it.
     *
     * @return a copy
     */
    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }
}
