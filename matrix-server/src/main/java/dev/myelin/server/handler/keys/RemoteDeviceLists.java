package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.UserDevicesResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.handler.room.NewEventListener;
import dev.myelin.storage.device.RemoteDevice;
import dev.myelin.storage.device.RemoteDeviceListStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Other servers' users' device lists, cached while a local user shares a room with them (the user is
 * "tracked"): filled by fetching the whole list ({@code GET /user/devices}), kept up to date by
 * {@code m.device_list_update} EDUs applied in {@code prev_id} order, and fetched anew when an update's
 * {@code prev_id} names one never received. A list stops being cached when no local user shares a room
 * with its user any more (updates then stop coming), and is fetched anew when the user's membership, or
 * a local user's in a room shared with them, changed since it was fetched (either may have left and come
 * back, missing updates in between). Each
 * change is logged so that the clients sharing a room with the user learn of it in {@code /sync} and
 * {@code /keys/changes}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#device-management">Device Management</a>
 */
public final class RemoteDeviceLists implements NewEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDeviceLists.class);
    /** How many of a shared room's latest events are searched for kicks of local users. */
    private static final int MEMBERSHIP_SCAN = 50;

    private final ServerName self;
    private final RemoteDeviceListStore cache;
    private final StateStore state;
    private final EventStore events;
    private final DeviceLists deviceLists;
    private final FederationClient federation;
    /** Serialises the updates of the cache, so that an update is checked against the list it applies to. */
    private final ReentrantLock updates = new ReentrantLock();
    /** The users whose list is being fetched in the background: a burst of updates after a gap fetches once. */
    private final Set<UserId> resyncing = ConcurrentHashMap.newKeySet();

    public RemoteDeviceLists(
            ServerName self,
            RemoteDeviceListStore cache,
            StateStore state,
            EventStore events,
            DeviceLists deviceLists,
            FederationClient federation) {
        this.self = self;
        this.cache = cache;
        this.state = state;
        this.events = events;
        this.deviceLists = deviceLists;
        this.federation = federation;
    }

    /**
     * Cached keys of one user, as {@code /keys/query} answers them.
     *
     * @param devices device keys by device id, with the display name under {@code unsigned}
     * @param masterKey the master key, if known
     * @param selfSigningKey the self-signing key, if known
     */
    public record CachedKeys(
            Map<String, ObjectNode> devices, Optional<ObjectNode> masterKey, Optional<ObjectNode> selfSigningKey) {}

    /** Whether {@code user}, another server's, is joined to a room a local user is joined to. */
    public boolean tracked(UserId user) {
        return !sharedRooms(user).isEmpty();
    }

    /** The rooms {@code user}, another server's, and a local user are both joined to. */
    private List<RoomId> sharedRooms(UserId user) {
        List<RoomId> shared = new ArrayList<>();
        if (user.server().equals(self)) {
            return shared;
        }
        for (RoomId room : state.roomsForUser(user, Membership.JOIN)) {
            if (state.joinedMembers(room).stream().anyMatch(m -> m.server().equals(self))) {
                shared.add(room);
            }
        }
        return shared;
    }

    /**
     * The keys of {@code user} from the cache, when they are tracked: a list not cached yet is fetched
     * first. Empty when the user is not tracked (their list is then dropped from the cache) or the fetch
     * failed.
     */
    public Optional<CachedKeys> keys(UserId user) {
        if (!tracked(user)) {
            if (cache.cached(user).isPresent()) {
                cache.forget(user);
            }
            return Optional.empty();
        }
        if (current(user).isEmpty() && !resync(user)) {
            return Optional.empty();
        }
        Map<String, ObjectNode> devices = new LinkedHashMap<>();
        for (RemoteDevice device : cache.devices(user)) {
            device.keys().ifPresent(keys -> {
                ObjectNode json = keys.deepCopy();
                json.remove("unsigned");
                device.displayName()
                        .ifPresent(name -> json.putObject("unsigned").put("device_display_name", name));
                devices.put(device.deviceId(), json);
            });
        }
        Map<String, ObjectNode> crossSigning = cache.crossSigningKeys(user);
        return Optional.of(new CachedKeys(
                devices,
                Optional.ofNullable(crossSigning.get("master")),
                Optional.ofNullable(crossSigning.get("self_signing"))));
    }

    /**
     * Applies an {@code m.device_list_update} from {@code origin}. Dropped when malformed, when the user
     * is not one of {@code origin}'s, or when no local user shares a room with them; the whole list is
     * fetched (in the background) when it is not cached or the update follows one never received.
     */
    public void onDeviceListUpdate(ServerName origin, JsonNode content) {
        Optional<DeviceListUpdate> parsed = DeviceListUpdate.parse(content);
        if (parsed.isEmpty()) {
            LOG.info("m.device_list_update from {} dropped: malformed", origin);
            return;
        }
        DeviceListUpdate update = parsed.get();
        if (!update.user().server().equals(origin)) {
            LOG.info("m.device_list_update from {} dropped: {} is not its user", origin, update.user());
            return;
        }
        if (!tracked(update.user())) {
            // no local user shares a room: the list would not be kept up to date, so none is kept
            cache.forget(update.user());
            return;
        }
        boolean applied;
        updates.lock();
        try {
            applied = current(update.user()).isPresent() && cache.knowsAll(update.user(), update.prevIds());
            if (applied) {
                cache.applyUpdate(
                        update.user(),
                        update.streamId(),
                        update.deviceId(),
                        update.deleted()
                                ? Optional.empty()
                                : Optional.of(
                                        new RemoteDevice(update.deviceId(), update.displayName(), update.keys())));
            }
        } finally {
            updates.unlock();
        }
        if (applied) {
            deviceLists.remoteChanged(update.user());
        } else {
            UserId user = update.user();
            if (resyncing.add(user)) {
                Thread.ofVirtual().name("device-list-resync").start(() -> {
                    try {
                        resync(user);
                    } finally {
                        resyncing.remove(user);
                    }
                });
            }
        }
    }

    /**
     * Applies an {@code m.signing_key_update} from {@code origin}: the user's new master and
     * self-signing keys. Dropped when malformed or when the user is not one of {@code origin}'s.
     */
    public void onSigningKeyUpdate(ServerName origin, JsonNode content) {
        UserId user;
        try {
            user = UserId.parse(content.path("user_id").asText(""));
        } catch (InvalidIdentifierException e) {
            LOG.info("m.signing_key_update from {} dropped: malformed", origin);
            return;
        }
        if (!user.server().equals(origin)) {
            LOG.info("m.signing_key_update from {} dropped: {} is not its user", origin, user);
            return;
        }
        @Nullable ObjectNode master = ownKey(content.get("master_key"), user);
        @Nullable ObjectNode selfSigning = ownKey(content.get("self_signing_key"), user);
        if (master == null && selfSigning == null) {
            LOG.info("m.signing_key_update from {} dropped: no valid key", origin);
            return;
        }
        if (!tracked(user)) {
            cache.forget(user);
            return;
        }
        updates.lock();
        try {
            if (current(user).isPresent()) {
                if (master != null) {
                    cache.putCrossSigningKey(user, "master", master);
                }
                if (selfSigning != null) {
                    cache.putCrossSigningKey(user, "self_signing", selfSigning);
                }
            }
        } finally {
            updates.unlock();
        }
        deviceLists.remoteChanged(user);
    }

    /**
     * A local user left a room: the other servers' users in it who now share no room with a local user
     * are no longer tracked, and their lists are dropped.
     */
    @Override
    public void onNewEvent(Pdu event, long streamOrdering) {
        if (!event.type().equals("m.room.member")) {
            return;
        }
        boolean join = event.content().path("membership").asText("").equals("join");
        try {
            UserId member = UserId.parse(event.stateKey().orElse(""));
            if (!member.server().equals(self)) {
                return;
            }
            if (join) {
                if (state.joinedServers(event.roomId()).getOrDefault(self, 0) == 1) {
                    List<UserId> members = state.joinedMembers(event.roomId());
                    // this server is (back) in the room: other servers' users whose lists it did not
                    // follow meanwhile may have changed their devices unheard, so theirs count as changed
                    for (UserId other : members) {
                        if (!other.server().equals(self) && cache.cached(other).isEmpty()) {
                            deviceLists.remoteChanged(other);
                        }
                    }
                }
                return;
            }
            for (UserId other : state.joinedMembers(event.roomId())) {
                if (!other.server().equals(self) && cache.cached(other).isPresent() && !tracked(other)) {
                    cache.forget(other);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("membership of {} not followed for device lists: {}", event.stateKey(), e.getMessage());
        }
    }

    /**
     * Fetches {@code user}'s whole list from their server and replaces the cache with it; an error or
     * an unreachable server leaves the cache as it was.
     *
     * @return whether the list is now cached
     */
    boolean resync(UserId user) {
        UserDevicesResponse answer;
        long eventsPosition = events.currentPosition();
        try {
            answer = federation.send(user.server(), EndpointCall.of(FederationEndpoints.USER_DEVICES, user.toString()));
        } catch (RuntimeException e) {
            LOG.info("Could not fetch the device list of {}: {}", user, e.getMessage());
            return false;
        }
        if (answer == null || !user.toString().equals(answer.userId()) || answer.devices() == null) {
            LOG.info("Device list of {} dropped: the answer is not about that user", user);
            return false;
        }
        List<RemoteDevice> devices = new ArrayList<>();
        for (UserDevicesResponse.Device device : answer.devices()) {
            if (device == null || device.deviceId() == null || device.deviceId().isEmpty()) {
                continue;
            }
            devices.add(new RemoteDevice(
                    device.deviceId(),
                    Optional.ofNullable(device.deviceDisplayName()),
                    Optional.ofNullable(ownKey(device.keys(), user))));
        }
        Map<String, ObjectNode> crossSigning = new LinkedHashMap<>();
        Optional.ofNullable(ownKey(answer.masterKey(), user)).ifPresent(k -> crossSigning.put("master", k));
        Optional.ofNullable(ownKey(answer.selfSigningKey(), user)).ifPresent(k -> crossSigning.put("self_signing", k));
        updates.lock();
        try {
            cache.replace(user, answer.streamId(), eventsPosition, devices, crossSigning);
        } finally {
            updates.unlock();
        }
        deviceLists.remoteChanged(user);
        return true;
    }

    /**
     * What is cached of {@code user}'s list, unless their membership changed since it was fetched:
     * then it is dropped, as updates sent while they shared no room with a local user were missed.
     */
    private Optional<RemoteDeviceListStore.CachedList> current(UserId user) {
        Optional<RemoteDeviceListStore.CachedList> cached = cache.cached(user);
        if (cached.isPresent() && membershipChangedSince(user, cached.get().eventsPosition())) {
            cache.forget(user);
            return Optional.empty();
        }
        return cached;
    }

    /**
     * Whether {@code user}'s membership changed after events position {@code since}, or a local user
     * was kicked or banned from a room shared with them: either may have stopped sharing every room in
     * between, and updates sent then were not sent here. (A local user's own leave is seen as it
     * happens, by {@link #onNewEvent}; a kick may come from another server.) Searches the latest
     * {@value #MEMBERSHIP_SCAN} events of each shared room.
     */
    private boolean membershipChangedSince(UserId user, long since) {
        if (!events.membershipEventsBetween(user.toString(), since, Long.MAX_VALUE)
                .isEmpty()) {
            return true;
        }
        for (RoomId room : sharedRooms(user)) {
            for (StoredEvent e : events.roomEventsByStream(room, since, Long.MAX_VALUE, MEMBERSHIP_SCAN)) {
                if (kickedLocalUser(e.pdu())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code event} removed a local user from the room by someone else's hand. */
    private boolean kickedLocalUser(Pdu event) {
        if (!event.type().equals("m.room.member")) {
            return false;
        }
        String membership = event.content().path("membership").asText("");
        if (!membership.equals("leave") && !membership.equals("ban")) {
            return false;
        }
        try {
            UserId member = UserId.parse(event.stateKey().orElse(""));
            return member.server().equals(self) && !member.equals(event.sender());
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    /** {@code key} when it is an object that names no other user than {@code user}. */
    private static @Nullable ObjectNode ownKey(@Nullable JsonNode key, UserId user) {
        if (!(key instanceof ObjectNode object)) {
            return null;
        }
        JsonNode owner = object.get("user_id");
        if (owner != null && !owner.asText("").equals(user.toString())) {
            return null;
        }
        return object;
    }
}
