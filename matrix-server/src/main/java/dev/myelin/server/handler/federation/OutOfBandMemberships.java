package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.persist.PersistedEvent;
import dev.myelin.storage.room.RemoteInvite;
import dev.myelin.storage.room.RemoteInviteStore;
import dev.myelin.storage.room.RemoteKnock;
import dev.myelin.storage.room.RemoteKnockStore;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events of rooms this server is not in that still concern one of its users: the room's server
 * kicking (or banning) a local user whose knock or invite is pending, which denies the knock or
 * withdraws the invite. Such an event comes only from the server the knock went to or the invite
 * came from; checked on receipt like any PDU, it is kept as an outlier and ends the knock or
 * invite, and the user's {@code /sync} shows the room under {@code leave}.
 */
public final class OutOfBandMemberships {
    private static final Set<String> ENDING = Set.of("leave", "ban");
    private static final Logger LOG = LoggerFactory.getLogger(OutOfBandMemberships.class);

    private final ServerName self;
    private final RemoteKnockStore knocks;
    private final RemoteInviteStore invites;
    private final EventPersister persister;
    private final Notifier notifier;

    public OutOfBandMemberships(
            ServerName self,
            RemoteKnockStore knocks,
            RemoteInviteStore invites,
            EventPersister persister,
            Notifier notifier) {
        this.self = self;
        this.knocks = knocks;
        this.invites = invites;
        this.persister = persister;
        this.notifier = notifier;
    }

    /**
     * The version of {@code json}'s room when {@code json} may end a local user's pending knock or
     * invite sent to or by {@code origin}; empty for every other event.
     */
    public Optional<RoomVersion> versionFor(ServerName origin, ObjectNode json) {
        if (!json.path("type").asText().equals("m.room.member")
                || !ENDING.contains(json.path("content").path("membership").asText())) {
            return Optional.empty();
        }
        Optional<Target> target = target(json.path("room_id"), json.path("state_key"));
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> version = pendingKnock(target.get(), origin)
                .map(RemoteKnock::roomVersion)
                .or(() -> pendingInvite(target.get(), origin).map(RemoteInvite::roomVersion));
        return version.flatMap(RoomVersions::find);
    }

    /** Ends the pending knock or invite that {@code event}, checked, ends; whether it did. */
    public boolean receive(ServerName origin, Pdu event) {
        String membership = event.content().path("membership").asText();
        if (!event.type().equals("m.room.member")
                || !ENDING.contains(membership)
                || event.stateKey().isEmpty()) {
            return false;
        }
        UserId user;
        try {
            user = UserId.parse(event.stateKey().get());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!user.server().equals(self) || event.sender().equals(user)) {
            return false;
        }
        Target target = new Target(user, event.roomId());
        Optional<RemoteKnock> knock = pendingKnock(target, origin);
        Optional<RemoteInvite> invite = pendingInvite(target, origin);
        if (knock.isEmpty() && invite.isEmpty()) {
            return false;
        }
        PersistedEvent kept = persister.persist(event, EventContext.outlierEvent());
        if (knock.isPresent()) {
            knocks.markRescinded(user, event.roomId(), kept.eventId(), kept.streamOrdering());
        }
        if (invite.isPresent()) {
            invites.markRejected(user, event.roomId(), kept.eventId(), kept.streamOrdering());
        }
        LOG.info("{} of {} in {} by {} ends their pending knock or invite", membership, user, event.roomId(), origin);
        notifier.wakeUser(user);
        return true;
    }

    private record Target(UserId user, RoomId room) {}

    private Optional<Target> target(JsonNode roomId, JsonNode stateKey) {
        if (!roomId.isTextual() || !stateKey.isTextual()) {
            return Optional.empty();
        }
        try {
            UserId user = UserId.parse(stateKey.asText());
            return user.server().equals(self)
                    ? Optional.of(new Target(user, RoomId.parse(roomId.asText())))
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<RemoteKnock> pendingKnock(Target target, ServerName origin) {
        return knocks.get(target.user(), target.room())
                .filter(RemoteKnock::pending)
                .filter(k -> k.resident().equals(origin));
    }

    private Optional<RemoteInvite> pendingInvite(Target target, ServerName origin) {
        return invites.get(target.user(), target.room())
                .filter(RemoteInvite::pending)
                .filter(i -> i.origin().equals(origin));
    }
}
