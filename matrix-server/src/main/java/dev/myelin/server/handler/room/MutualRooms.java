package dev.myelin.server.handler.room;

import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rooms two users are both joined to, in room id order and a page at a time. The paging token
 * is the first room id of the next page, encoded, so a page is stable under joins and leaves of
 * rooms before it. Membership comes from the cached room lists of each user.
 */
public final class MutualRooms {
    /** The most rooms answered at once. */
    public static final int PAGE_SIZE = 100;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** One page: its rooms, the total of shared rooms, and the next page's token. */
    public record Page(List<RoomId> rooms, int count, Optional<String> nextBatch) {
        public Page {
            rooms = List.copyOf(rooms);
        }
    }

    private final StateStore state;

    public MutualRooms(StateStore state) {
        this.state = state;
    }

    public Page page(UserId requester, UserId other, Optional<String> from) {
        Optional<String> start = from.map(MutualRooms::decode);
        Set<RoomId> theirs = new HashSet<>(state.roomsForUser(other, Membership.JOIN));
        List<RoomId> shared = new ArrayList<>();
        for (RoomId room : state.roomsForUser(requester, Membership.JOIN)) {
            if (theirs.contains(room)) {
                shared.add(room);
            }
        }
        shared.sort((a, b) -> a.value().compareTo(b.value()));
        List<RoomId> page = new ArrayList<>();
        Optional<String> next = Optional.empty();
        for (RoomId room : shared) {
            if (start.isPresent() && room.value().compareTo(start.get()) < 0) {
                continue;
            }
            if (page.size() == PAGE_SIZE) {
                next = Optional.of(ENCODER.encodeToString(room.value().getBytes(StandardCharsets.UTF_8)));
                break;
            }
            page.add(room);
        }
        return new Page(page, shared.size(), next);
    }

    private static String decode(String token) {
        try {
            String room = new String(DECODER.decode(token), StandardCharsets.UTF_8);
            if (!room.startsWith("!")) {
                throw new IllegalArgumentException();
            }
            return room;
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("from", "is not a token this server gave");
        }
    }
}
