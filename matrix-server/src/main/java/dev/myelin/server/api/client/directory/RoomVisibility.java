package dev.myelin.server.api.client.directory;

import dev.myelin.http.error.MatrixException;
import org.jspecify.annotations.Nullable;

/**
 * A room's visibility in the public directory, {@code public} or {@code private}: the answer of
 * {@code GET} and the body of {@code PUT /directory/list/room/{roomId}}, where it may be left out
 * (meaning {@code public}).
 *
 * @param visibility {@code public} or {@code private}
 */
public record RoomVisibility(@Nullable String visibility) {
    /** Checks that a given visibility is one of the two. */
    public RoomVisibility {
        if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
            throw MatrixException.invalidParam("visibility", "must be public or private");
        }
    }

    /** The visibility of a listed ({@code true}) or unlisted room. */
    public static RoomVisibility of(boolean listed) {
        return new RoomVisibility(listed ? "public" : "private");
    }

    /** Whether the room is to be listed: {@code public}, or nothing said. */
    public boolean listed() {
        return visibility == null || visibility.equals("public");
    }
}
