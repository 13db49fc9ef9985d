package dev.myelin.testing;

import java.util.List;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * AssertJ assertions on a {@link SyncResponse}; get one from {@link MatrixAssertions#assertThat(SyncResponse)}.
 * Failures print what the response did contain.
 */
public final class SyncResponseAssert extends AbstractAssert<SyncResponseAssert, SyncResponse> {

    SyncResponseAssert(SyncResponse actual) {
        super(actual, SyncResponseAssert.class);
    }

    /** The room's timeline holds an event of this {@code type} whose {@code content.body} is {@code body}. */
    public SyncResponseAssert hasTimelineEvent(String roomId, String type, String body) {
        return hasTimelineEvent(
                roomId,
                e -> e.type().equals(type) && e.body().filter(body::equals).isPresent(),
                type + " with body \"" + body + "\"");
    }

    /** The room's timeline holds an event of this {@code type}. */
    public SyncResponseAssert hasTimelineEventOfType(String roomId, String type) {
        return hasTimelineEvent(roomId, e -> e.type().equals(type), "an event of type " + type);
    }

    /** The room's timeline holds an event that {@code condition}, described by {@code description}, accepts. */
    public SyncResponseAssert hasTimelineEvent(String roomId, Predicate<ClientEvent> condition, String description) {
        isNotNull();
        List<ClientEvent> timeline = actual.timeline(roomId);
        if (timeline.stream().noneMatch(condition)) {
            failWithMessage(
                    "expected %s in the timeline of %s but it held %s%s",
                    description,
                    roomId,
                    summary(timeline),
                    actual.joinedRooms().contains(roomId) ? "" : " (the room is not under rooms.join)");
        }
        return this;
    }

    /** The room's timeline holds no events (or the room is not in the response). */
    public SyncResponseAssert hasNoTimelineEvents(String roomId) {
        isNotNull();
        List<ClientEvent> timeline = actual.timeline(roomId);
        if (!timeline.isEmpty()) {
            failWithMessage("expected no timeline events in %s but found %s", roomId, summary(timeline));
        }
        return this;
    }

    /** The room is under {@code rooms.join}. */
    public SyncResponseAssert hasJoinedRoom(String roomId) {
        isNotNull();
        if (!actual.joinedRooms().contains(roomId)) {
            failWithMessage("expected %s under rooms.join but joined rooms were %s", roomId, actual.joinedRooms());
        }
        return this;
    }

    /** The room is under {@code rooms.invite}. */
    public SyncResponseAssert hasInviteTo(String roomId) {
        isNotNull();
        if (!actual.invitedRooms().contains(roomId)) {
            failWithMessage("expected an invite to %s but invites were %s", roomId, actual.invitedRooms());
        }
        return this;
    }

    /** The room is under {@code rooms.leave}. */
    public SyncResponseAssert hasLeftRoom(String roomId) {
        isNotNull();
        if (!actual.leftRooms().contains(roomId)) {
            failWithMessage("expected %s under rooms.leave but left rooms were %s", roomId, actual.leftRooms());
        }
        return this;
    }

    /** The response mentions no room at all (typical of a long-poll that timed out). */
    public SyncResponseAssert hasNoRoomUpdates() {
        isNotNull();
        if (!actual.joinedRooms().isEmpty()
                || !actual.invitedRooms().isEmpty()
                || !actual.leftRooms().isEmpty()) {
            failWithMessage(
                    "expected no room updates but got join %s, invite %s, leave %s",
                    actual.joinedRooms(), actual.invitedRooms(), actual.leftRooms());
        }
        return this;
    }

    /** AssertJ list assertions on the room's timeline, oldest first, to go on with. */
    public ListAssert<ClientEvent> timeline(String roomId) {
        isNotNull();
        return Assertions.assertThat(actual.timeline(roomId)).as("timeline of %s", roomId);
    }

    private static String summary(List<ClientEvent> events) {
        return events.stream()
                .map(e -> e.type() + " from " + e.sender()
                        + e.body().map(b -> " \"" + b + "\"").orElse(""))
                .toList()
                .toString();
    }
}
