package dev.myelin.core.room;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The room versions this implementation can process, each derived from the one before it so the
 * differences read like the spec's changelog.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/#complete-list-of-room-versions">Room versions</a>
 */
public final class RoomVersions {
    /** Room version 1: the original rules, state resolution v1. */
    public static final RoomVersion V1 = new RoomVersion(
            "1",
            true,
            EventFormat.V1,
            StateResolutionAlgorithm.V1,
            RedactionRules.V1,
            AuthRules.V1,
            false,
            false,
            false);
    /** Room version 2: state resolution v2. */
    public static final RoomVersion V2 = V1.withId("2").withStateResolution(StateResolutionAlgorithm.V2);
    /** Room version 3: event ids are reference hashes. */
    public static final RoomVersion V3 =
            V2.withId("3").withEventFormat(EventFormat.V3).withAuth(V2.auth().withRedactionSenderDomainCheck(false));
    /** Room version 4: event ids in URL-safe base64. */
    public static final RoomVersion V4 = V3.withId("4").withEventFormat(EventFormat.V4);
    /** Room version 5: signing keys' validity periods are enforced. */
    public static final RoomVersion V5 = V4.withId("5").withEnforceKeyValidity(true);
    /** Room version 6: strict canonical JSON, no special-cased aliases, notifications power levels. */
    public static final RoomVersion V6 = V5.withId("6")
            .withStrictCanonicalJson(true)
            .withRedaction(V5.redaction().withoutContentType("m.room.aliases"))
            .withAuth(V5.auth().withSpecialCaseAliases(false).withNotificationsPowerLevels(true));
    /** Room version 7: knocking. */
    public static final RoomVersion V7 = V6.withId("7").withAuth(V6.auth().withKnocking(true));
    /** Room version 8: restricted join rules. */
    public static final RoomVersion V8 = V7.withId("8")
            .withRedaction(V7.redaction().withContentKeys("m.room.join_rules", "allow"))
            .withAuth(V7.auth().withRestrictedJoins(true));
    /** Room version 9: {@code join_authorised_via_users_server} survives redaction. */
    public static final RoomVersion V9 = V8.withId("9")
            .withRedaction(V8.redaction().withContentKeys("m.room.member", "join_authorised_via_users_server"));
    /** Room version 10: knock-restricted joins, integer-only power levels. */
    public static final RoomVersion V10 =
            V9.withId("10").withAuth(V9.auth().withKnockRestrictedJoins(true).withIntegerPowerLevels(true));
    /** Room version 11: {@code redacts} in content, implicit room creator, new redaction rules. */
    public static final RoomVersion V11 = V10.withId("11")
            .withRedactsInContent(true)
            .withRedaction(V10.redaction()
                    .withoutTopLevelKeys("origin", "membership", "prev_state")
                    .withAllCreateContent()
                    .withThirdPartyInviteSigned()
                    .withContentKeys("m.room.power_levels", "invite")
                    .withContentKeys("m.room.redaction", "redacts"))
            .withAuth(V10.auth().withImplicitRoomCreator(true));
    /** Room version 12: room ids from the create event, state resolution v2.1, additional creators. */
    public static final RoomVersion V12 = V11.withId("12")
            .withEventFormat(EventFormat.V12)
            .withStateResolution(StateResolutionAlgorithm.V2_1)
            .withAuth(V11.auth().withCreatorsHaveInfinitePower(true));

    /** The version new rooms get unless configured otherwise. */
    public static final RoomVersion DEFAULT = V10;

    private static final Map<String, RoomVersion> BY_ID =
            index(List.of(V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12));

    private RoomVersions() {}

    /** The known version with this id, or empty for a version we cannot process. */
    public static Optional<RoomVersion> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** Every known version, oldest first. */
    public static List<RoomVersion> all() {
        return List.copyOf(BY_ID.values());
    }

    private static Map<String, RoomVersion> index(List<RoomVersion> versions) {
        Map<String, RoomVersion> map = new LinkedHashMap<>();
        versions.forEach(v -> map.put(v.id(), v));
        return java.util.Collections.unmodifiableMap(map);
    }
}
