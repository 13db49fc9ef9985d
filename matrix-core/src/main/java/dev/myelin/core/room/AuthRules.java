package dev.myelin.core.room;

/**
 * The flags that make one room version's authorization rules differ from another's. The auth
 * rule implementation asks these flags, never the version string.
 *
 * @param specialCaseAliases v1–v5: {@code m.room.aliases} events are allowed when the state key
 *     matches the sender's server, regardless of power levels
 * @param redactionSenderDomainCheck v1–v2: {@code m.room.redaction} is authorised at auth time
 *     when the sender has the redact level or the redacted event's server matches
 * @param notificationsPowerLevels v6+: changes to {@code notifications} in power levels are
 *     checked
 * @param knocking v7+: the {@code knock} join rule and membership
 * @param restrictedJoins v8+: the {@code restricted} join rule and
 *     {@code join_authorised_via_users_server}
 * @param knockRestrictedJoins v10+: the {@code knock_restricted} join rule
 * @param integerPowerLevels v10+: power level values must be integers, not strings
 * @param implicitRoomCreator v11+: the creator is the create event's sender; {@code creator} in
 *     content is no longer required
 * @param creatorsHaveInfinitePower v12: the create event's sender and
 *     {@code additional_creators} outrank every power level and may not appear in
 *     {@code users}
 * @see <a href="https://spec.matrix.org/v1.19/rooms/">Room versions</a>
 */
public record AuthRules(
        boolean specialCaseAliases,
        boolean redactionSenderDomainCheck,
        boolean notificationsPowerLevels,
        boolean knocking,
        boolean restrictedJoins,
        boolean knockRestrictedJoins,
        boolean integerPowerLevels,
        boolean implicitRoomCreator,
        boolean creatorsHaveInfinitePower) {

    static final AuthRules V1 = new AuthRules(true, true, false, false, false, false, false, false, false);

    AuthRules withRedactionSenderDomainCheck(boolean value) {
        return new AuthRules(
                specialCaseAliases,
                value,
                notificationsPowerLevels,
                knocking,
                restrictedJoins,
                knockRestrictedJoins,
                integerPowerLevels,
                implicitRoomCreator,
                creatorsHaveInfinitePower);
    }

    AuthRules withSpecialCaseAliases(boolean value) {
        return new AuthRules(
                value,
                redactionSenderDomainCheck,
                notificationsPowerLevels,
                knocking,
                restrictedJoins,
                knockRestrictedJoins,
                integerPowerLevels,
                implicitRoomCreator,
                creatorsHaveInfinitePower);
    }

    AuthRules withNotificationsPowerLevels(boolean value) {
        return new AuthRules(
                specialCaseAliases,
                redactionSenderDomainCheck,
                value,
                knocking,
                restrictedJoins,
                knockRestrictedJoins,
                integerPowerLevels,
                implicitRoomCreator,
                creatorsHaveInfinitePower);
    }

    AuthRules withKnocking(boolean value) {
        return new AuthRules(
                specialCaseAliases,
                redactionSenderDomainCheck,
                notificationsPowerLevels,
                value,
                restrictedJoins,
                knockRestrictedJoins,
                integerPowerLevels,
                implicitRoomCreator,
                creatorsHaveInfinitePower);
    }

    AuthRules withRestrictedJoins(boolean value) {
        return new AuthRules(
                specialCaseAliases,
                redactionSenderDomainCheck,
                notificationsPowerLevels,
                knocking,
                value,
                knockRestrictedJoins,
                integerPowerLevels,
                implicitRoomCreator,
                creatorsHaveInfinitePower);
    }

    AuthRules withKnockRestrictedJoins(boolean value) {
        return new AuthRules(
                specialCaseAliases,
                redactionSenderDomainCheck,
                notificationsPowerLevels,
                knocking,
                restrictedJoins,
                value,
                integerPowerLevels,
                implicitRoomCreator,
                creatorsHaveInfinitePower);
    }

    AuthRules withIntegerPowerLevels(boolean value) {
        return new AuthRules(
                specialCaseAliases,
                redactionSenderDomainCheck,
                notificationsPowerLevels,
                knocking,
                restrictedJoins,
                knockRestrictedJoins,
                value,
                implicitRoomCreator,
                creatorsHaveInfinitePower);
    }

    AuthRules withImplicitRoomCreator(boolean value) {
        return new AuthRules(
                specialCaseAliases,
                redactionSenderDomainCheck,
                notificationsPowerLevels,
                knocking,
                restrictedJoins,
                knockRestrictedJoins,
                integerPowerLevels,
                value,
                creatorsHaveInfinitePower);
    }

    AuthRules withCreatorsHaveInfinitePower(boolean value) {
        return new AuthRules(
                specialCaseAliases,
                redactionSenderDomainCheck,
                notificationsPowerLevels,
                knocking,
                restrictedJoins,
                knockRestrictedJoins,
                integerPowerLevels,
                implicitRoomCreator,
                value);
    }
}
