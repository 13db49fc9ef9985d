package dev.myelin.server.handler.slidingsync;

import dev.myelin.storage.state.StateKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state a room config asks for: {@code [type, state_key]} pairs where {@code "*"} matches any
 * type or any state key, {@code $ME} has become the syncing user's id, and {@code ["m.room.member",
 * "$LAZY"]} became {@link #lazyMembers}: the members of the timeline's senders only. Entries of
 * {@code exclude} (MSC4186's newer request form) take away from what {@code include} matches; lazy
 * members are never excluded.
 */
public record RequiredState(Set<Entry> include, Set<Entry> exclude, boolean lazyMembers) {
    /** A wildcard, in either position. */
    static final String ANY = "*";

    /** Nothing: a config without required state. */
    static final RequiredState NONE = new RequiredState(Set.of(), Set.of(), false);

    /** One {@code [type, state_key]} pattern. */
    public record Entry(String type, String stateKey) {
        boolean matches(StateKey key) {
            return (type.equals(ANY) || type.equals(key.type()))
                    && (stateKey.equals(ANY) || stateKey.equals(key.stateKey()));
        }

        boolean isExact() {
            return !type.equals(ANY) && !stateKey.equals(ANY);
        }
    }

    public RequiredState {
        include = Set.copyOf(include);
        exclude = Set.copyOf(exclude);
    }

    /** Whether the room's state entry {@code key} is asked for (lazy members aside). */
    boolean matches(StateKey key) {
        for (Entry e : exclude) {
            if (e.matches(key)) {
                return false;
            }
        }
        for (Entry e : include) {
            if (e.matches(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The exact keys asked for, when every entry names one type and one state key: such a config is
     * answered from the room's current state by key, without reading all of it.
     */
    List<StateKey> exactKeys() {
        return include.stream()
                .filter(Entry::isExact)
                .map(e -> StateKey.of(e.type(), e.stateKey()))
                .toList();
    }

    /** Whether some entry has a wildcard, so the whole current state must be looked at. */
    boolean hasWildcard() {
        return include.stream().anyMatch(e -> !e.isExact());
    }

    boolean isEmpty() {
        return include.isEmpty() && !lazyMembers;
    }

    /**
     * The union of two configs' state. Exclusions only survive where both configs exclude, so nothing
     * either one asks for is lost.
     */
    RequiredState combine(RequiredState other) {
        if (this.equals(other)) {
            return this;
        }
        Set<Entry> in = new LinkedHashSet<>(include);
        in.addAll(other.include);
        Set<Entry> out = new LinkedHashSet<>(exclude);
        out.retainAll(other.exclude);
        return new RequiredState(in, out, lazyMembers || other.lazyMembers);
    }
}
