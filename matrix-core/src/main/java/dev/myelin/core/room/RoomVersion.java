package dev.myelin.core.room;

/**
 * A room version as data: the event format, the state resolution algorithm, the redaction rules
 * and the authorization rule flags. Code asks these values (for example
 * {@code version.auth().knocking()}); it never compares version strings.
 *
 * <p>The known versions are in {@link RoomVersions}. A room whose version id is not known there
 * can still be stored and relayed by its id, but not processed.
 *
 * @param id the version identifier as it appears in {@code m.room.create} ({@code "10"})
 * @param stable whether the version is stable (unstable versions are never the default)
 * @param eventFormat how events and their ids look
 * @param stateResolution which state resolution algorithm applies
 * @param redaction what the redaction algorithm keeps
 * @param auth the authorization rule flags
 * @param enforceKeyValidity v5+: signatures must be made with a key valid at the event's
 *     {@code origin_server_ts}
 * @param strictCanonicalJson v6+: events with floats, out-of-range integers or duplicate keys are
 *     rejected
 * @param redactsInContent v11+: {@code redacts} of {@code m.room.redaction} is a content key,
 *     not a top-level one
 * @see <a href="https://spec.matrix.org/v1.19/rooms/">Room versions</a>
 */
public record RoomVersion(
        String id,
        boolean stable,
        EventFormat eventFormat,
        StateResolutionAlgorithm stateResolution,
        RedactionRules redaction,
        AuthRules auth,
        boolean enforceKeyValidity,
        boolean strictCanonicalJson,
        boolean redactsInContent) {

    RoomVersion withId(String newId) {
        return new RoomVersion(
                newId,
                stable,
                eventFormat,
                stateResolution,
                redaction,
                auth,
                enforceKeyValidity,
                strictCanonicalJson,
                redactsInContent);
    }

    RoomVersion withEventFormat(EventFormat value) {
        return new RoomVersion(
                id,
                stable,
                value,
                stateResolution,
                redaction,
                auth,
                enforceKeyValidity,
                strictCanonicalJson,
                redactsInContent);
    }

    RoomVersion withStateResolution(StateResolutionAlgorithm value) {
        return new RoomVersion(
                id,
                stable,
                eventFormat,
                value,
                redaction,
                auth,
                enforceKeyValidity,
                strictCanonicalJson,
                redactsInContent);
    }

    RoomVersion withRedaction(RedactionRules value) {
        return new RoomVersion(
                id,
                stable,
                eventFormat,
                stateResolution,
                value,
                auth,
                enforceKeyValidity,
                strictCanonicalJson,
                redactsInContent);
    }

    RoomVersion withAuth(AuthRules value) {
        return new RoomVersion(
                id,
                stable,
                eventFormat,
                stateResolution,
                redaction,
                value,
                enforceKeyValidity,
                strictCanonicalJson,
                redactsInContent);
    }

    RoomVersion withEnforceKeyValidity(boolean value) {
        return new RoomVersion(
                id,
                stable,
                eventFormat,
                stateResolution,
                redaction,
                auth,
                value,
                strictCanonicalJson,
                redactsInContent);
    }

    RoomVersion withStrictCanonicalJson(boolean value) {
        return new RoomVersion(
                id, stable, eventFormat, stateResolution, redaction, auth, enforceKeyValidity, value, redactsInContent);
    }

    RoomVersion withRedactsInContent(boolean value) {
        return new RoomVersion(
                id,
                stable,
                eventFormat,
                stateResolution,
                redaction,
                auth,
                enforceKeyValidity,
                strictCanonicalJson,
                value);
    }

    @Override
    public String toString() {
        return "RoomVersion[" + id + "]";
    }
}
