package dev.myelin.server.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.testing.TestHomeserver;

/**
 * Membership changes and state events made straight through the event creator (the test seam),
 * without the extra content (profile, reason) the client endpoints add.
 */
final class Memberships {
    private Memberships() {}

    static String join(TestHomeserver hs, String room, String user) {
        return member(hs, room, user, user, "join");
    }

    static String invite(TestHomeserver hs, String room, String inviter, String invitee) {
        return member(hs, room, inviter, invitee, "invite");
    }

    static String leave(TestHomeserver hs, String room, String user) {
        return member(hs, room, user, user, "leave");
    }

    /** Sends a state event through the event creator. */
    static String state(
            TestHomeserver hs,
            String room,
            String sender,
            String type,
            String stateKey,
            com.fasterxml.jackson.databind.node.ObjectNode content) {
        return hs.homeserver()
                .testSeam()
                .createEvent(EventRequest.state(RoomId.parse(room), UserId.parse(sender), type, stateKey, content))
                .eventId()
                .value();
    }

    private static String member(TestHomeserver hs, String room, String sender, String target, String membership) {
        return hs.homeserver()
                .testSeam()
                .createEvent(EventRequest.state(
                        RoomId.parse(room),
                        UserId.parse(sender),
                        "m.room.member",
                        target,
                        JsonNodeFactory.instance.objectNode().put("membership", membership)))
                .eventId()
                .value();
    }
}
