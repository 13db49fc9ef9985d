package dev.myelin.server.api;

import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.storage.event.Direction;
import java.util.Optional;

/**
 * Typed query parameters: a value that does not parse is 400 {@code M_INVALID_PARAM} naming the
 * parameter, so endpoints read numbers, booleans and directions the same way.
 */
public final class QueryParams {
    private QueryParams() {}

    /** A non-negative integer parameter, or {@code defaultValue} when it is absent. */
    public static int nonNegativeInt(MatrixRequest request, String name, int defaultValue) {
        return nonNegativeInt(request, name).orElse(defaultValue);
    }

    /** A non-negative integer parameter, empty when it is absent. */
    public static Optional<Integer> nonNegativeInt(MatrixRequest request, String name) {
        return integer(request, name, 0, "must not be negative");
    }

    /** An integer parameter above zero, or {@code defaultValue} when it is absent. */
    public static int positiveInt(MatrixRequest request, String name, int defaultValue) {
        return integer(request, name, 1, "must be greater than zero").orElse(defaultValue);
    }

    /** A {@code true}/{@code false} parameter, empty when it is absent. */
    public static Optional<Boolean> bool(MatrixRequest request, String name) {
        return request.queryParam(name).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam(name, "must be 'true' or 'false'");
        });
    }

    /**
     * A pagination token parameter ({@code from}, {@code to}), empty when it is absent or blank.
     * Clients such as matrix-nio 0.20.1 send {@code from=} to mean "from the end" (its room
     * upgrade asks for a room's last event that way), and Synapse reads it so; it also reads
     * {@code from=END}, an older spelling of the same.
     */
    public static Optional<String> paginationToken(MatrixRequest request, String name) {
        return request.queryParam(name)
                .filter(token -> !token.isEmpty())
                .filter(token -> !(name.equals("from") && token.equals("END")));
    }

    /** The {@code dir} parameter ({@code b} or {@code f}), or {@code defaultValue} when it is absent. */
    public static Direction direction(MatrixRequest request, Direction defaultValue) {
        return request.queryParam("dir").map(QueryParams::direction).orElse(defaultValue);
    }

    /** A {@code dir} value: {@code b} is backwards, {@code f} forwards. */
    public static Direction direction(String dir) {
        return switch (dir) {
            case "b" -> Direction.BACKWARDS;
            case "f" -> Direction.FORWARDS;
            default -> throw MatrixException.invalidParam("dir", "must be 'b' or 'f'");
        };
    }

    private static Optional<Integer> integer(MatrixRequest request, String name, int min, String tooSmall) {
        Optional<String> raw = request.queryParam(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name, "must be an integer");
        }
        if (value < min) {
            throw MatrixException.invalidParam(name, tooSmall);
        }
        return Optional.of(value);
    }
}
