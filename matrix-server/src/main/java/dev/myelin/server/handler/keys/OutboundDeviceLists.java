package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.api.UserDevicesResponse;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.api.federation.UserKeysQueryEndpoint;
import dev.myelin.storage.device.DeviceListOutboxStore;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local users' device lists for other servers: {@code m.device_list_update} EDUs for every change of
 * a device or its keys, {@code m.signing_key_update} EDUs for new cross-signing keys, each sent to the
 * servers sharing a room with the user, and the whole list on request ({@code GET /user/devices}).
 * Each update carries a {@code stream_id} unique for the user and names as {@code prev_id} the last one
 * that server was sent (or fetched), so a server that missed one knows to fetch the list again.
 * Device display names are not shared with other servers (they could tell where a user is), as
 * Synapse does by default.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#device-management">Device Management</a>
 */
public final class OutboundDeviceLists implements DeviceListListener {
    /** The EDU type of device list updates. */
    public static final String DEVICE_LIST_UPDATE = "m.device_list_update";
    /** The EDU type of cross-signing key updates. */
    public static final String SIGNING_KEY_UPDATE = "m.signing_key_update";

    private static final Logger LOG = LoggerFactory.getLogger(OutboundDeviceLists.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ServerName self;
    private final KeysHandler keys;
    private final DeviceListStore changes;
    private final DeviceListOutboxStore outbox;
    private final StateStore rooms;
    private final TransactionSender sender;
    /** Serialises the choice of stream ids, so that each is new for its user and prev_id chains hold. */
    private final ReentrantLock streamLock = new ReentrantLock();

    public OutboundDeviceLists(
            ServerName self,
            KeysHandler keys,
            DeviceListStore changes,
            DeviceListOutboxStore outbox,
            StateStore rooms,
            TransactionSender sender) {
        this.self = self;
        this.keys = keys;
        this.changes = changes;
        this.outbox = outbox;
        this.rooms = rooms;
        this.sender = sender;
    }

    @Override
    public void onDeviceChange(UserId user, DeviceId device, boolean deleted) {
        if (!user.server().equals(self)) {
            return;
        }
        try {
            Set<ServerName> destinations = destinations(user);
            if (destinations.isEmpty()) {
                return;
            }
            @Nullable ObjectNode deviceKeys = deleted ? null : deviceKeys(user, device);
            streamLock.lock();
            try {
                long streamId = nextStreamId(user);
                for (ServerName destination : destinations) {
                    ObjectNode edu = NODES.objectNode().put("edu_type", DEVICE_LIST_UPDATE);
                    ObjectNode content = edu.putObject("content")
                            .put("user_id", user.toString())
                            .put("device_id", device.value())
                            .put("stream_id", streamId);
                    ArrayNode prev = content.putArray("prev_id");
                    outbox.lastSent(destination, user).ifPresent(prev::add);
                    if (deleted) {
                        content.put("deleted", true);
                    } else if (deviceKeys != null) {
                        content.set("keys", deviceKeys);
                    }
                    outbox.recordSent(destination, user, streamId);
                    sender.sendEdu(destination, edu);
                }
            } finally {
                streamLock.unlock();
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not queue the device list update of {} for other servers", user, e);
        }
    }

    @Override
    public void onCrossSigningChange(UserId user) {
        if (!user.server().equals(self)) {
            return;
        }
        try {
            Set<ServerName> destinations = destinations(user);
            if (destinations.isEmpty()) {
                return;
            }
            UserKeysQueryEndpoint.Response answer =
                    keys.queryForServer(new KeysQuery(Map.of(user.toString(), List.of()), null));
            @Nullable
            ObjectNode master =
                    answer.masterKeys() == null ? null : answer.masterKeys().get(user.toString());
            @Nullable
            ObjectNode selfSigning = answer.selfSigningKeys() == null
                    ? null
                    : answer.selfSigningKeys().get(user.toString());
            if (master == null && selfSigning == null) {
                return;
            }
            ObjectNode edu = NODES.objectNode().put("edu_type", SIGNING_KEY_UPDATE);
            ObjectNode content = edu.putObject("content").put("user_id", user.toString());
            if (master != null) {
                content.set("master_key", master);
            }
            if (selfSigning != null) {
                content.set("self_signing_key", selfSigning);
            }
            destinations.forEach(destination -> sender.sendEdu(destination, edu));
        } catch (RuntimeException e) {
            LOG.warn("Could not queue the cross-signing key update of {} for other servers", user, e);
        }
    }

    /**
     * The whole device list of {@code user}, one of this server's users, for {@code origin}: its
     * devices with keys and the master and self-signing keys, at a {@code stream_id} that the next
     * update sent to {@code origin} names as its {@code prev_id}.
     *
     * @throws MatrixException 400 {@code M_INVALID_PARAM} when {@code user} is not one of this server's
     */
    public UserDevicesResponse devicesFor(ServerName origin, UserId user) {
        if (!user.server().equals(self)) {
            throw MatrixException.invalidParam("userId", "User is not hosted on this homeserver");
        }
        UserKeysQueryEndpoint.Response answer =
                keys.queryForServer(new KeysQuery(Map.of(user.toString(), List.of()), null));
        List<UserDevicesResponse.Device> devices = new ArrayList<>();
        Map<String, ObjectNode> byDevice = answer.deviceKeys().getOrDefault(user.toString(), Map.of());
        byDevice.forEach((device, deviceKeys) -> {
            ObjectNode stripped = deviceKeys.deepCopy();
            stripped.remove("unsigned");
            devices.add(new UserDevicesResponse.Device(device, stripped, null));
        });
        streamLock.lock();
        try {
            long streamId = Math.max(changes.currentPosition(), outbox.maxSent(user));
            outbox.recordSent(origin, user, streamId);
            return new UserDevicesResponse(
                    user.toString(),
                    streamId,
                    devices,
                    answer.masterKeys() == null ? null : answer.masterKeys().get(user.toString()),
                    answer.selfSigningKeys() == null
                            ? null
                            : answer.selfSigningKeys().get(user.toString()));
        } finally {
            streamLock.unlock();
        }
    }

    /** A stream id above every one sent about {@code user} (called under the lock). */
    private long nextStreamId(UserId user) {
        return Math.max(changes.currentPosition(), outbox.maxSent(user) + 1);
    }

    private @Nullable ObjectNode deviceKeys(UserId user, DeviceId device) {
        UserKeysQueryEndpoint.Response answer =
                keys.queryForServer(new KeysQuery(Map.of(user.toString(), List.of(device.value())), null));
        ObjectNode found =
                answer.deviceKeys().getOrDefault(user.toString(), Map.of()).get(device.value());
        if (found == null) {
            return null;
        }
        ObjectNode stripped = found.deepCopy();
        stripped.remove("unsigned");
        return stripped;
    }

    /** The other servers with a user joined to a room {@code user} is joined to. */
    private Set<ServerName> destinations(UserId user) {
        Set<ServerName> destinations = new TreeSet<>();
        for (RoomId room : rooms.roomsForUser(user, Membership.JOIN)) {
            for (UserId member : rooms.joinedMembers(room)) {
                destinations.add(member.server());
            }
        }
        destinations.remove(self);
        return destinations;
    }
}
