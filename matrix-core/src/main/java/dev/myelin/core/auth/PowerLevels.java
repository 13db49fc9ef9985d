package dev.myelin.core.auth;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.content.CreateContent;
import dev.myelin.core.event.content.PowerLevelsContent;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The power levels in force in a room state, with the room creators: who has which level, and
 * which level an action needs. The authorization rules use it, and so can a server deciding what
 * a user may do.
 *
 * <p>Room creators are the create event's sender in room version 11 and later (plus
 * {@code additional_creators} in 12), its {@code content.creator} before. In room version 12
 * creators have {@link #INFINITE} power whatever the power levels say. Before that a creator has
 * level 100 only while the room has no {@code m.room.power_levels} event.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroompower_levels">m.room.power_levels</a>
 */
public final class PowerLevels {
    /** The level of a room creator in room version 12: above every level an event can give. */
    public static final long INFINITE = Long.MAX_VALUE;
    /** The level of the creator of a room before version 12 while it has no power levels event. */
    public static final long CREATOR_WITHOUT_POWER_LEVELS = 100;

    private final RoomVersion version;
    private final Set<UserId> creators;
    private final Optional<PowerLevelsContent> content;

    private PowerLevels(RoomVersion version, Set<UserId> creators, Optional<PowerLevelsContent> content) {
        this.version = version;
        this.creators = Set.copyOf(creators);
        this.content = content;
    }

    /**
     * The power levels of a room of {@code version} with this create event and power levels
     * event (either may be null when the room has none).
     */
    public static PowerLevels of(RoomVersion version, @Nullable Pdu create, @Nullable Pdu powerLevels) {
        return new PowerLevels(
                version,
                create == null ? Set.of() : creators(create),
                Optional.ofNullable(powerLevels).map(e -> PowerLevelsContent.from(e.content(), version)));
    }

    /** The power levels in {@code state}, read for a room of {@code version}. */
    public static PowerLevels from(AuthState state, RoomVersion version) {
        return of(
                version,
                state.get(StateTuple.CREATE).orElse(null),
                state.get(StateTuple.POWER_LEVELS).orElse(null));
    }

    /**
     * The creators named by a create event, in order: the sender from room version 11 (plus valid
     * {@code additional_creators} in 12), else {@code content.creator} when it is a valid user id.
     */
    public static Set<UserId> creators(Pdu create) {
        RoomVersion version = create.version();
        Set<UserId> creators = new LinkedHashSet<>();
        if (version.auth().implicitRoomCreator()) {
            creators.add(create.sender());
            creators.addAll(CreateContent.from(create.content(), version).additionalCreators());
        } else {
            CreateContent.from(create.content(), version).creator().ifPresent(creators::add);
        }
        return creators;
    }

    /** The room creators. */
    public Set<UserId> creators() {
        return creators;
    }

    /** True when {@code user} is a room creator. */
    public boolean isCreator(UserId user) {
        return creators.contains(user);
    }

    /** The power levels content in force, or empty when the room has no power levels event. */
    public Optional<PowerLevelsContent> content() {
        return content;
    }

    /** The level of {@code user}; {@link #INFINITE} for a creator in room version 12. */
    public long userLevel(UserId user) {
        if (version.auth().creatorsHaveInfinitePower() && creators.contains(user)) {
            return INFINITE;
        }
        if (content.isPresent()) {
            return content.get().userLevel(user);
        }
        return creators.contains(user) ? CREATOR_WITHOUT_POWER_LEVELS : 0;
    }

    /**
     * The level of the user a state key names; a state key that is not a user id gets
     * {@code users_default}, as no {@code users} entry can name it.
     */
    long userLevel(String user) {
        try {
            return userLevel(UserId.parse(user));
        } catch (InvalidIdentifierException e) {
            return content.map(PowerLevelsContent::usersDefault).orElse(0L);
        }
    }

    /** The level needed to send an event of {@code type}, a state event when {@code state}. */
    public long eventLevel(String type, boolean state) {
        return levels().eventLevel(type, state);
    }

    /** The level needed to send {@code event}. */
    public long eventLevel(Pdu event) {
        return eventLevel(event.type(), event.isState());
    }

    /**
     * The level needed to invite.
     *
     * @return the {@code invite} level (default 0)
     */
    public long invite() {
        return levels().invite();
    }

    /**
     * The level needed to kick.
     *
     * @return the {@code kick} level (default 50)
     */
    public long kick() {
        return levels().kick();
    }

    /**
     * The level needed to ban.
     *
     * @return the {@code ban} level (default 50)
     */
    public long ban() {
        return levels().ban();
    }

    /** The level needed to redact another user's event. */
    public long redact() {
        return levels().redact();
    }

    /** The level needed to trigger a notification of {@code kind}, such as {@code room}. */
    public OptionalLong notificationLevel(String kind) {
        return levels().notificationLevel(kind);
    }

    private PowerLevelsContent levels() {
        return content.orElse(PowerLevelsContent.DEFAULTS);
    }
}
