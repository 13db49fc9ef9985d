package dev.myelin.storage.event;

/**
 * A point between events of a room, ordered by (topological, stream): the point just after the event with
 * these orderings. {@code /messages} {@code from}/{@code to} tokens are built from it.
 */
public record RoomPosition(long topological, long stream) implements Comparable<RoomPosition> {
    /** Before every event. */
    public static final RoomPosition START = new RoomPosition(Long.MIN_VALUE, Long.MIN_VALUE);
    /** After every event. */
    public static final RoomPosition END = new RoomPosition(Long.MAX_VALUE, Long.MAX_VALUE);

    /** The point just before the event that this position is just after. */
    public RoomPosition before() {
        return new RoomPosition(topological, stream - 1);
    }

    @Override
    public int compareTo(RoomPosition o) {
        int c = Long.compare(topological, o.topological);
        return c != 0 ? c : Long.compare(stream, o.stream);
    }
}
