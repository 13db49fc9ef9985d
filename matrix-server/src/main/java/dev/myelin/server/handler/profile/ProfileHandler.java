package dev.myelin.server.handler.profile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.storage.account.Profile;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' global profiles (display name and avatar URL). A change is copied into the user's
 * {@code m.room.member} event of every room they are joined to, since that is where clients read
 * names and avatars from inside a room.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#profiles">Profiles</a>
 */
public final class ProfileHandler {
    /** The longest display name accepted, in UTF-16 units, matching what other homeservers accept. */
    public static final int MAX_DISPLAYNAME_LENGTH = 256;
    /** The longest avatar URL accepted. */
    public static final int MAX_AVATAR_URL_LENGTH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ProfileHandler.class);

    /** The two profile fields this server stores. */
    public enum Field {
        DISPLAYNAME("displayname"),
        AVATAR_URL("avatar_url");

        private final String key;

        Field(String key) {
            this.key = key;
        }

        /** The JSON key and path segment of the field. */
        public String key() {
            return key;
        }
    }

    private final ServerName serverName;
    private final UserStore userStore;
    private final ProfileStore profileStore;
    private final StateStore state;
    private final EventStore eventStore;
    private final EventCreator events;
    private final RemoteProfiles remote;

    public ProfileHandler(
            ServerName serverName,
            UserStore userStore,
            ProfileStore profileStore,
            StateStore state,
            EventStore eventStore,
            EventCreator events,
            RemoteProfiles remote) {
        this.serverName = serverName;
        this.userStore = userStore;
        this.profileStore = profileStore;
        this.state = state;
        this.eventStore = eventStore;
        this.events = events;
        this.remote = remote;
    }

    /**
     * The profile of a user: a local one from the store, another server's from that server; 404
     * {@code M_NOT_FOUND} for users that do not exist.
     */
    public Profile get(UserId user) {
        if (!user.server().equals(serverName)) {
            return remote.fetch(user);
        }
        if (userStore.get(user).isEmpty()) {
            throw MatrixException.notFound("Profile not found");
        }
        return profileStore.get(user);
    }

    /** One field of a local user's profile, empty if unset. */
    public Optional<String> get(UserId user, Field field) {
        Profile profile = get(user);
        return field == Field.DISPLAYNAME ? profile.displayName() : profile.avatarUrl();
    }

    /**
     * Sets (or, with an empty value, clears) a field of {@code target}'s profile on behalf of
     * {@code requester}, then updates the user's membership in every joined room.
     */
    public void set(UserId requester, UserId target, Field field, Optional<String> value) {
        if (!requester.equals(target)) {
            throw MatrixException.forbidden("Cannot change another user's profile");
        }
        get(target); // 404 for accounts that do not exist
        Optional<String> cleaned = value.filter(v -> !v.isEmpty());
        switch (field) {
            case DISPLAYNAME -> {
                cleaned.ifPresent(ProfileHandler::checkDisplayName);
                profileStore.setDisplayName(target, cleaned.orElse(null));
            }
            case AVATAR_URL -> {
                cleaned.ifPresent(ProfileHandler::checkAvatarUrl);
                profileStore.setAvatarUrl(target, cleaned.orElse(null));
            }
        }
        propagate(target);
    }

    /**
     * Sends a new join event carrying the current profile into each room the user is joined to,
     * skipping rooms whose membership already shows it. A room that refuses the event (its auth
     * rules, a version we cannot process) is logged and skipped: the profile itself has changed.
     */
    public void propagate(UserId user) {
        Profile profile = profileStore.get(user);
        List<RoomId> rooms = state.roomsForUser(user, Membership.JOIN);
        for (RoomId room : rooms) {
            try {
                Optional<ObjectNode> current = currentMemberContent(room, user);
                ObjectNode content = current.map(ObjectNode::deepCopy).orElseGet(JsonNodeFactory.instance::objectNode);
                content.put("membership", Membership.JOIN.value());
                put(content, Field.DISPLAYNAME.key(), profile.displayName());
                put(content, Field.AVATAR_URL.key(), profile.avatarUrl());
                if (current.isPresent() && current.get().equals(content)) {
                    continue;
                }
                events.create(EventRequest.state(room, user, "m.room.member", user.toString(), content));
            } catch (MatrixException e) {
                LOG.warn("could not update the membership of {} in {} after a profile change", user, room, e);
            }
        }
    }

    private Optional<ObjectNode> currentMemberContent(RoomId room, UserId user) {
        Optional<EventId> id = state.currentStateEvent(room, StateKey.of("m.room.member", user.toString()));
        return id.flatMap(eventStore::get).map(e -> e.pdu().content());
    }

    private static void put(ObjectNode content, String key, Optional<String> value) {
        if (value.isPresent()) {
            content.put(key, value.get());
        } else {
            content.remove(key);
        }
    }

    private static void checkDisplayName(String name) {
        if (name.length() > MAX_DISPLAYNAME_LENGTH) {
            throw MatrixException.invalidParam(
                    "displayname", "must be at most " + MAX_DISPLAYNAME_LENGTH + " characters");
        }
        if (name.indexOf('\0') >= 0) {
            throw MatrixException.invalidParam("displayname", "must not contain NUL");
        }
    }

    private static void checkAvatarUrl(String url) {
        if (url.length() > MAX_AVATAR_URL_LENGTH) {
            throw MatrixException.invalidParam(
                    "avatar_url", "must be at most " + MAX_AVATAR_URL_LENGTH + " characters");
        }
        // Clients are to send an mxc:// URI, but servers have long kept any string (bridges set
        // http avatars), so only what the database cannot hold is refused.
        if (url.indexOf('\0') >= 0) {
            throw MatrixException.invalidParam("avatar_url", "must not contain NUL");
        }
    }
}
