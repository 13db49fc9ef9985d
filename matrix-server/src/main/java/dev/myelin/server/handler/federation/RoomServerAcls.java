package dev.myelin.server.handler.federation;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.ServerAcl;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.Optional;

/**
 * The server ACLs of rooms ({@code m.room.server_acl} in the current state), applied to requests
 * from other servers: a denied server gets 403 {@code M_FORBIDDEN} from the endpoints the spec
 * protects, and its PDUs for the room are ignored.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#server-access-control-lists-acls">Server ACLs</a>
 */
public final class RoomServerAcls {
    private static final StateKey ACL = StateKey.of("m.room.server_acl", "");

    private final StateStore state;
    private final EventStore events;

    public RoomServerAcls(StateStore state, EventStore events) {
        this.state = state;
        this.events = events;
    }

    /** Whether {@code server} may take part in {@code room}; true for a room without an ACL. */
    public boolean allows(RoomId room, ServerName server) {
        Optional<EventId> acl = state.currentStateEvent(room, ACL);
        if (acl.isEmpty()) {
            return true;
        }
        return events.get(acl.get())
                .map(e -> ServerAcl.fromContent(e.pdu().content()).allows(server))
                .orElse(true);
    }

    /** 403 {@code M_FORBIDDEN} unless {@code server} may take part in {@code room}. */
    public void check(RoomId room, ServerName server) {
        if (!allows(room, server)) {
            throw MatrixException.forbidden("Server is banned from room");
        }
    }
}
