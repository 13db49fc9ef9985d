package dev.myelin.server.handler;

import dev.myelin.http.error.MatrixException;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks that request records make in their compact constructors where JSON binding alone is not
 * enough: a JSON {@code null} inside an object or array binds to a Java {@code null}, which no
 * handler expects, so it is refused at the edge as 400 {@code M_BAD_JSON}.
 */
public final class RequestChecks {
    private RequestChecks() {}

    /**
     * {@code map}, unchanged, when none of its values is {@code null}.
     *
     * @throws MatrixException 400 {@code M_BAD_JSON} naming {@code field} and the key otherwise
     */
    public static <V> Map<String, V> noNullValues(Map<String, V> map, String field) {
        map.forEach((key, value) -> {
            if (value == null) {
                throw MatrixException.badJson("'" + field + "." + key + "' must not be null");
            }
        });
        return map;
    }

    /**
     * {@code values}, unchanged, when none of them is {@code null}.
     *
     * @throws MatrixException 400 {@code M_BAD_JSON} naming {@code field} otherwise
     */
    public static <C extends Collection<?>> C noNullElements(C values, String field) {
        for (Object value : values) {
            if (value == null) {
                throw MatrixException.badJson("'" + field + "' must not contain null");
            }
        }
        return values;
    }

    /**
     * {@code value}, unchanged, when a database can store it as text: PostgreSQL refuses the NUL
     * character in text, so such a value is refused at the edge, on every database alike.
     *
     * @throws MatrixException 400 {@code M_INVALID_PARAM} naming {@code field} otherwise
     */
    public static @Nullable String storableText(@Nullable String value, String field) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw MatrixException.invalidParam(field, "must not contain NUL");
        }
        return value;
    }
}
