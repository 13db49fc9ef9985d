package dev.myelin.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.content.CreateContent;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The authorization rules of every known room version, as pure functions of an event and the
 * state it is checked against. Which rules apply is read from the event's room version flags
 * ({@link dev.myelin.core.room.AuthRules}).
 *
 * <p>The checks on receipt of a PDU use these functions three times: {@link #checkAgainstAuthEvents}
 * with the event's own auth events, then {@link #check} with the state before the event, then
 * {@link #check} with the room's current state (a failure there is a soft failure). State
 * resolution's iterative auth checks call {@link #check} with the partially resolved state.
 *
 * <p>Signatures are not checked here: the caller verifies the event's signatures first, including,
 * for a join with {@code join_authorised_via_users_server}, the signature of the authorising
 * user's server (see {@link #requiredSigningServer}). The one signature that is part of the rules,
 * the identity server's signature on a third-party invite, is checked by a
 * {@link ThirdPartyInviteVerifier}.
 *
 * <p>A rejection names the rule: {@code "m.room.member join: the sender is banned"}. Rule numbers
 * are not used because they shift between room versions.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v12/#authorization-rules">Authorization rules (v12)</a>
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v1/#authorization-rules">Authorization rules (v1)</a>
 */
public final class EventAuthorizer {
    static final String CREATE = "m.room.create";
    static final String MEMBER = "m.room.member";
    static final String POWER_LEVELS = "m.room.power_levels";
    static final String THIRD_PARTY_INVITE = "m.room.third_party_invite";

    private EventAuthorizer() {}

    /**
     * Checks {@code event} against {@code state} with every rule except those about the auth
     * events list itself (see {@link #checkAuthEvents}), verifying third-party invite signatures
     * with {@link ThirdPartyInviteVerifier#ED25519}.
     */
    public static AuthResult check(Pdu event, AuthState state) {
        return check(event, state, ThirdPartyInviteVerifier.ED25519);
    }

    /** As {@link #check(Pdu, AuthState)}, with the given third-party invite verifier. */
    public static AuthResult check(Pdu event, AuthState state, ThirdPartyInviteVerifier inviteVerifier) {
        RoomVersion version = event.version();
        if (event.type().equals(CREATE)) {
            return checkCreate(event);
        }
        Optional<Pdu> create = state.get(StateTuple.CREATE);
        if (version.eventFormat().roomIdFromCreateEvent()) {
            if (create.isEmpty()
                    || !event.roomId()
                            .createEventId()
                            .equals(Optional.of(create.get().eventId()))) {
                return reject("room id", "the room id " + event.roomId() + " does not name the room's create event");
            }
        } else if (create.isEmpty()) {
            return reject("auth events", "there is no m.room.create event");
        }
        if (!CreateContent.from(create.get().content(), version).federate()
                && !event.sender().server().equals(create.get().sender().server())) {
            return reject(
                    "m.federate",
                    "the room does not federate and the sender's server "
                            + event.sender().server() + " is not the creator's");
        }
        if (version.auth().specialCaseAliases() && event.type().equals("m.room.aliases")) {
            if (event.stateKey().isEmpty()) {
                return reject("m.room.aliases", "the event has no state key");
            }
            if (!event.stateKey().get().equals(event.sender().server().value())) {
                return reject("m.room.aliases", "the state key is not the sender's server name");
            }
            return AuthResult.allowed();
        }
        PowerLevels levels = PowerLevels.from(state, version);
        if (event.type().equals(MEMBER)) {
            return new MembershipRule(event, state, create.get(), levels, inviteVerifier).check();
        }
        if (membership(state, event.sender().toString())
                .filter(m -> m == Membership.JOIN)
                .isEmpty()) {
            return reject("sender membership", "the sender is not joined to the room");
        }
        long senderLevel = levels.userLevel(event.sender());
        if (event.type().equals(THIRD_PARTY_INVITE)) {
            return senderLevel >= levels.invite()
                    ? AuthResult.allowed()
                    : reject(
                            THIRD_PARTY_INVITE,
                            "the sender's level " + senderLevel + " is below the invite level " + levels.invite());
        }
        long required = levels.eventLevel(event);
        if (required > senderLevel) {
            return reject(
                    "power level",
                    "sending " + event.type() + " needs level " + required + ", the sender has " + senderLevel);
        }
        if (event.stateKey().filter(k -> k.startsWith("@")).isPresent()
                && !event.stateKey().get().equals(event.sender().toString())) {
            return reject("state key", "a state key starting with '@' must be the sender's user id");
        }
        if (event.type().equals(POWER_LEVELS)) {
            return PowerLevelsRule.check(event, state, levels, senderLevel);
        }
        if (version.auth().redactionSenderDomainCheck() && event.type().equals("m.room.redaction")) {
            if (senderLevel >= levels.redact()) {
                return AuthResult.allowed();
            }
            Optional<EventId> redacts = event.redacts();
            if (redacts.isPresent()
                    && redacts.get().server().isPresent()
                    && redacts.get().server().equals(event.eventId().server())) {
                return AuthResult.allowed();
            }
            return reject(
                    "m.room.redaction",
                    "the sender's level " + senderLevel + " is below the redact level " + levels.redact()
                            + " and the redacted event is from another server");
        }
        return AuthResult.allowed();
    }

    /**
     * The rules about an event's {@code auth_events} as a list: each cited event is present in
     * {@code authEvents}, no two share a type and state key, each is one the
     * {@link AuthEventSelection auth events selection} picks for the event, none was rejected,
     * all are in the event's room, and (before room version 12) one is the create event.
     *
     * @param authEvents the events the event cites; may hold more events, which are ignored
     * @param rejected tells which events were themselves rejected
     */
    public static AuthResult checkAuthEvents(Pdu event, Collection<Pdu> authEvents, Predicate<EventId> rejected) {
        if (event.type().equals(CREATE)) {
            return AuthResult.allowed();
        }
        Map<EventId, Pdu> byId = new HashMap<>();
        authEvents.forEach(e -> byId.put(e.eventId(), e));
        Set<StateTuple> allowedKeys = new HashSet<>(AuthEventSelection.select(event));
        Set<StateTuple> seen = new HashSet<>();
        boolean hasCreate = false;
        for (EventId id : event.authEventIds()) {
            Pdu authEvent = byId.get(id);
            if (authEvent == null) {
                return reject("auth events", "the auth event " + id + " is not available");
            }
            if (authEvent.stateKey().isEmpty()) {
                return reject("auth events", "the auth event " + id + " is not a state event");
            }
            StateTuple key =
                    new StateTuple(authEvent.type(), authEvent.stateKey().get());
            if (!seen.add(key)) {
                return reject("auth events", "more than one auth event for " + key);
            }
            if (!allowedKeys.contains(key)) {
                return reject(
                        "auth events",
                        "the auth event " + id + " for " + key
                                + " is not one the auth events selection picks for this event");
            }
            if (rejected.test(id)) {
                return reject("auth events", "the auth event " + id + " was rejected");
            }
            if (!authEvent.roomId().equals(event.roomId())) {
                return reject("auth events", "the auth event " + id + " is in another room");
            }
            hasCreate |= key.equals(StateTuple.CREATE);
        }
        if (!hasCreate && !event.version().eventFormat().roomIdFromCreateEvent()) {
            return reject("auth events", "there is no m.room.create event among the auth events");
        }
        return AuthResult.allowed();
    }

    /**
     * Checks {@code event} against its own auth events: {@link #checkAuthEvents}, then
     * {@link #check} with those events as the state. This is the first authorization check on
     * receipt of a PDU.
     *
     * @param authEvents the events {@code event} cites; in room version 12 also the room's
     *     create event (the one its room id names), which events never cite
     * @param rejected tells which events were themselves rejected
     */
    public static AuthResult checkAgainstAuthEvents(
            Pdu event, Collection<Pdu> authEvents, Predicate<EventId> rejected) {
        AuthResult listCheck = checkAuthEvents(event, authEvents, rejected);
        if (!listCheck.isAllowed()) {
            return listCheck;
        }
        Map<EventId, Pdu> cited = new LinkedHashMap<>();
        authEvents.stream()
                .filter(e -> event.authEventIds().contains(e.eventId()))
                .forEach(e -> cited.put(e.eventId(), e));
        if (event.version().eventFormat().roomIdFromCreateEvent()
                && !event.type().equals(CREATE)) {
            Optional<EventId> createId = event.roomId().createEventId();
            Optional<Pdu> create = authEvents.stream()
                    .filter(e -> createId.equals(Optional.of(e.eventId())) && e.isState(CREATE, ""))
                    .findFirst();
            if (create.isEmpty()) {
                return reject(
                        "room id",
                        "the create event " + createId.map(EventId::toString).orElse("?")
                                + " the room id names is not available");
            }
            if (rejected.test(create.get().eventId())) {
                return reject(
                        "room id", "the room's create event " + create.get().eventId() + " was rejected");
            }
            cited.put(create.get().eventId(), create.get());
        }
        return check(event, AuthState.of(List.copyOf(cited.values())));
    }

    /** As {@link #checkAgainstAuthEvents(Pdu, Collection, Predicate)} when no event is known to be rejected. */
    public static AuthResult checkAgainstAuthEvents(Pdu event, Collection<Pdu> authEvents) {
        return checkAgainstAuthEvents(event, authEvents, id -> false);
    }

    /**
     * The server whose signature a join needs besides the sender's: the server of
     * {@code join_authorised_via_users_server} in room versions with restricted joins. The caller
     * checks that signature before the rules run.
     */
    public static Optional<ServerName> requiredSigningServer(Pdu event) {
        if (!event.version().auth().restrictedJoins() || !event.type().equals(MEMBER)) {
            return Optional.empty();
        }
        JsonNode authoriser = event.content().get("join_authorised_via_users_server");
        if (authoriser == null || !authoriser.isTextual() || !UserId.isValid(authoriser.textValue())) {
            return Optional.empty();
        }
        return Optional.of(UserId.parse(authoriser.textValue()).server());
    }

    private static AuthResult checkCreate(Pdu event) {
        RoomVersion version = event.version();
        if (!event.prevEventIds().isEmpty()) {
            return reject(CREATE, "the create event has prev_events");
        }
        if (version.eventFormat().roomIdFromCreateEvent()) {
            if (event.json().has("room_id")) {
                return reject(CREATE, "the create event has a room_id");
            }
        } else if (!event.roomId().server().equals(Optional.of(event.sender().server()))) {
            return reject(CREATE, "the room id's server does not match the sender's server");
        }
        JsonNode roomVersion = event.content().get("room_version");
        if (roomVersion != null
                && !(roomVersion.isTextual()
                        && RoomVersions.find(roomVersion.textValue()).isPresent())) {
            return reject(CREATE, "content.room_version " + roomVersion + " is not a recognised version");
        }
        if (!version.auth().implicitRoomCreator() && !event.content().has("creator")) {
            return reject(CREATE, "content has no creator");
        }
        if (version.auth().creatorsHaveInfinitePower()) {
            JsonNode additional = event.content().get("additional_creators");
            if (additional != null) {
                if (!additional.isArray()) {
                    return reject(CREATE, "content.additional_creators is not an array");
                }
                for (JsonNode item : additional) {
                    if (!item.isTextual() || !UserId.isValid(item.textValue())) {
                        return reject(CREATE, "content.additional_creators has an invalid user id: " + item);
                    }
                }
            }
        }
        return AuthResult.allowed();
    }

    static Optional<Membership> membership(AuthState state, String user) {
        return state.get(MEMBER, user).flatMap(e -> {
            JsonNode value = e.content().get("membership");
            return value != null && value.isTextual() ? Membership.parse(value.textValue()) : Optional.empty();
        });
    }

    static AuthResult reject(String rule, String why) {
        return AuthResult.rejected(rule + ": " + why);
    }
}
