package dev.myelin.server.handler.appservice;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.storage.room.RoomAliasStore;
import dev.myelin.storage.state.StateStore;
import java.util.HashMap;
import java.util.Map;

/**
 * Which events and rooms an application service is sent: those its namespaces cover. An event
 * interests a service when its sender or (for a membership) its target is one of the service's
 * users or its own sender, or when its room does: the room id is in a room namespace, one of the
 * room's local aliases is in an alias namespace, or a user of the service is joined to it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#registration">Registration</a>
 */
public final class AppServiceInterest {
    private final AppServices services;
    private final StateStore state;
    private final RoomAliasStore aliases;

    public AppServiceInterest(AppServices services, StateStore state, RoomAliasStore aliases) {
        this.services = services;
        this.state = state;
        this.aliases = aliases;
    }

    /** Whether {@code event} is sent to {@code service}. */
    public boolean isInterested(AppServiceRegistration service, Pdu event) {
        return isInterested(service, event, new HashMap<>());
    }

    /**
     * As {@link #isInterested(AppServiceRegistration, Pdu)}, with what was found of each room kept in
     * {@code rooms}, so that a batch of events of few rooms reads each room's aliases and members once.
     */
    public boolean isInterested(AppServiceRegistration service, Pdu event, Map<RoomId, Boolean> rooms) {
        if (claimsUser(service, event.sender().toString())) {
            return true;
        }
        if (event.type().equals("m.room.member")
                && event.stateKey().filter(key -> claimsUser(service, key)).isPresent()) {
            return true;
        }
        return rooms.computeIfAbsent(event.roomId(), room -> isInterestedInRoom(service, room));
    }

    /** Whether {@code room} is of interest to {@code service} (room id, aliases or joined users). */
    public boolean isInterestedInRoom(AppServiceRegistration service, RoomId room) {
        if (service.rooms().stream().anyMatch(n -> n.matches(room.toString()))) {
            return true;
        }
        if (!service.aliases().isEmpty()
                && aliases.aliasesFor(room).stream()
                        .anyMatch(alias -> service.aliases().stream().anyMatch(n -> n.matches(alias.toString())))) {
            return true;
        }
        for (UserId member : state.joinedMembers(room)) {
            if (claimsUser(service, member.toString())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code user} is one of the service's users or its sender. */
    public boolean claimsUser(AppServiceRegistration service, String user) {
        return service.isInterestedInUser(user)
                || user.equals(services.senderOf(service).toString());
    }
}
