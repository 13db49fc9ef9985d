package dev.myelin.server.handler.room;

import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.event.RoomPosition;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pagination tokens of a room's timeline ({@code /messages} {@code from}/{@code to}/{@code start}/
 * {@code end}, {@code /context} {@code start}/{@code end}, {@code /sync} {@code prev_batch}).
 *
 * <p>A token is opaque to clients. Version 1 is {@code t<topological>-<stream>}: the two orderings of a
 * {@link RoomPosition}, i.e. the point just after the event with those orderings ({@code t} marks the
 * topological form; a later format gets another leading letter). Paginating backwards from a token
 * returns the event at the token first; forwards returns events strictly after it. So a {@code /sync}
 * timeline whose oldest event is {@code e} gives {@code prev_batch = encode(e.position().before())},
 * and {@code /messages?dir=b&from=<prev_batch>} then continues just before {@code e}.
 *
 * <p>Either number may be negative ({@link RoomPosition#START} is {@code Long.MIN_VALUE} twice).
 */
public final class RoomTokens {
    private static final Pattern TOKEN = Pattern.compile("t(-?\\d{1,19})-(-?\\d{1,19})");

    private RoomTokens() {}

    public static String encode(RoomPosition position) {
        return "t" + position.topological() + "-" + position.stream();
    }

    /** The position a token names; 400 {@code M_INVALID_PARAM} for anything this code did not issue. */
    public static RoomPosition decode(String token) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            throw MatrixException.invalidParam("token", "malformed pagination token");
        }
        try {
            return new RoomPosition(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("token", "malformed pagination token");
        }
    }
}
