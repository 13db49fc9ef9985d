package dev.myelin.server.handler.userdirectory;

import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.account.UserDirectoryStore;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user directory as Synapse serves it by default ({@code search_all_users: false}): local,
 * active users whose localpart or display name contains the search term, limited to those who
 * share a joined room with the searcher or are joined to a public room (join rule {@code public}
 * or history visibility {@code world_readable}); then other servers' users who share a joined
 * room with the searcher, with the profile of their member event.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#user-directory">User directory</a>
 */
public final class UserDirectoryHandler {
    /** Largest {@code limit} honoured; more is shortened to this. */
    public static final int MAX_LIMIT = 100;
    /** How many name matches are read, at most, to find {@code limit} visible ones. */
    private static final int CANDIDATES = 1000;
    /**
     * The longest term that can match anything: no localpart (255 bytes) or display name ({@link
     * ProfileHandler#MAX_DISPLAYNAME_LENGTH} characters) is longer. A longer term matches nothing,
     * so it is answered without a query; the database would otherwise have to build a pattern of
     * any size (SQLite refuses LIKE patterns over 50,000 bytes).
     */
    static final int MAX_MATCHABLE_TERM = Math.max(255, ProfileHandler.MAX_DISPLAYNAME_LENGTH);

    private final ServerName self;
    private final StateStore stateStore;
    private final UserDirectoryStore directory;
    private final RoomStateReader state;

    public UserDirectoryHandler(
            ServerName self, StateStore stateStore, UserDirectoryStore directory, RoomStateReader state) {
        this.self = self;
        this.stateStore = stateStore;
        this.directory = directory;
        this.state = state;
    }

    /** The users {@code searcher} may see whose id or display name matches {@code term}, at most {@code limit}. */
    public UserDirectoryResults search(UserId searcher, String term, int limit) {
        String trimmed = term.strip();
        int bounded = Math.min(limit, MAX_LIMIT);
        if (trimmed.isEmpty() || bounded == 0 || trimmed.length() > MAX_MATCHABLE_TERM) {
            return UserDirectoryResults.of(List.of(), false);
        }
        Set<RoomId> searcherRooms = new HashSet<>(stateStore.roomsForUser(searcher, Membership.JOIN));
        Map<RoomId, Boolean> publicRooms = new HashMap<>();
        List<UserDirectoryStore.Entry> visible = new ArrayList<>();
        for (UserDirectoryStore.Entry entry : directory.search(trimmed, CANDIDATES)) {
            if (isVisible(searcher, entry.userId(), searcherRooms, publicRooms)) {
                visible.add(entry);
                if (visible.size() > bounded) {
                    return UserDirectoryResults.of(visible.subList(0, bounded), true);
                }
            }
        }
        // other servers' users are known here by the rooms they share with the searcher
        visible.addAll(directory.searchRoomMembers(searcherRooms, self, trimmed, bounded + 1 - visible.size()));
        if (visible.size() > bounded) {
            return UserDirectoryResults.of(visible.subList(0, bounded), true);
        }
        return UserDirectoryResults.of(visible, false);
    }

    /**
     * Whether {@code searcher} may find {@code user}: they share a joined room, or {@code user} is in
     * a public room. Searchers do not share a room with themselves, so they find their own account
     * only through a public room, as on Synapse.
     */
    private boolean isVisible(
            UserId searcher, UserId user, Set<RoomId> searcherRooms, Map<RoomId, Boolean> publicRooms) {
        boolean self = user.equals(searcher);
        for (RoomId room : stateStore.roomsForUser(user, Membership.JOIN)) {
            if ((!self && searcherRooms.contains(room)) || publicRooms.computeIfAbsent(room, this::isPublic)) {
                return true;
            }
        }
        return false;
    }

    /** A room anyone can join or anyone can read counts as public for the directory. */
    private boolean isPublic(RoomId room) {
        return state.currentEvent(room, "m.room.join_rules", "")
                        .map(e -> e.pdu().content().path("join_rule").asText("").equals("public"))
                        .orElse(false)
                || state.currentEvent(room, "m.room.history_visibility", "")
                        .map(e -> e.pdu()
                                .content()
                                .path("history_visibility")
                                .asText("")
                                .equals("world_readable"))
                        .orElse(false);
    }
}
