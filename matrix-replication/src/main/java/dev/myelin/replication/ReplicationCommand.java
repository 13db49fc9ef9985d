package dev.myelin.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one instance tells the others.
 *
 * <p>A closed set so that the codec and every reader handle each kind exhaustively; {@link Command}
 * carries anything new without a change here. The records copy their lists and maps, so a command
 * queued for publishing cannot change under the publisher thread (the JSON body of a {@link
 * Command} is the exception: do not change it after publishing).
 */
public sealed interface ReplicationCommand
        permits ReplicationCommand.Position,
                ReplicationCommand.Invalidate,
                ReplicationCommand.Wake,
                ReplicationCommand.Replicate,
                ReplicationCommand.UserSync,
                ReplicationCommand.Typing,
                ReplicationCommand.Command {

    /**
     * A change on a stream: kind (e.g. "ROOM_EVENTS") and entity (a room or user id) at position.
     *
     * @param position the stream position of the change
     * @param kind what changed, so a reader invalidates only the caches of that kind
     * @param entity the room or user the change concerns
     */
    record Row(long position, String kind, String entity) {
        public Row {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(entity, "entity");
        }
    }

    /**
     * The sender's position on a stream: everything it wrote up to token is committed; rows =
     * changes since its previous Position of that stream.
     *
     * @param stream the stream name
     * @param token the sender's committed position on the stream
     * @param rows the changes since the sender's previous position of this stream
     */
    record Position(String stream, long token, List<Row> rows) implements ReplicationCommand {
        public Position {
            Objects.requireNonNull(stream, "stream");
            rows = List.copyOf(rows);
        }
    }

    /**
     * keys of cache went stale (empty list = all keys).
     *
     * @param cache the cache's name
     * @param keys the stale keys; empty means every key
     */
    record Invalidate(String cache, List<String> keys) implements ReplicationCommand {
        public Invalidate {
            Objects.requireNonNull(cache, "cache");
            keys = List.copyOf(keys);
        }
    }

    /**
     * Wake long-polls of these users and rooms once the reader has reached these stream positions
     * (stream name -> token).
     *
     * @param users users whose long-polls may have something new
     * @param rooms rooms whose members' long-polls may have something new
     * @param positions the stream positions a reader must have caught up to before waking them
     */
    record Wake(List<String> users, List<String> rooms, Map<String, Long> positions) implements ReplicationCommand {
        public Wake {
            users = List.copyOf(users);
            rooms = List.copyOf(rooms);
            positions = Map.copyOf(positions);
        }
    }

    /** Asks every instance to announce its positions (sent after (re)connecting). */
    record Replicate() implements ReplicationCommand {}

    /**
     * A user started or stopped syncing on the sender (presence).
     *
     * @param userId the user
     * @param syncing whether the user now has a sync in progress on the sender
     * @param atMillis when, in milliseconds since the epoch (the sender's clock)
     */
    record UserSync(String userId, boolean syncing, long atMillis) implements ReplicationCommand {
        public UserSync {
            Objects.requireNonNull(userId, "userId");
        }
    }

    /**
     * Who is typing in a room now, as the typing writer's stream token.
     *
     * @param roomId the room
     * @param userIds everyone typing in the room now (not a change: the whole set)
     * @param token the typing writer's stream token for this state
     */
    record Typing(String roomId, List<String> userIds, long token) implements ReplicationCommand {
        public Typing {
            Objects.requireNonNull(roomId, "roomId");
            userIds = List.copyOf(userIds);
        }
    }

    /**
     * Anything else: a named command with a JSON object body.
     *
     * @param name the command's name, which readers dispatch on
     * @param body its arguments
     */
    record Command(String name, ObjectNode body) implements ReplicationCommand {
        public Command {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(body, "body");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a command needs a name");
            }
        }
    }
}
