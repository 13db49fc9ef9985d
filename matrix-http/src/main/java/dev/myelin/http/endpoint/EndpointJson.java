package dev.myelin.http.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import java.io.IOException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The one place where request and response records meet JSON, for the server and for clients
 * alike. Record components are named in Java style and travel in Matrix's snake_case
 * ({@code eventId} is {@code event_id}; {@code @JsonProperty} names the rest); absent optional
 * fields are {@code null} and are left out of written JSON.
 *
 * <p>Reading is strict where Matrix is: a string is never taken from a number or a boolean, an
 * integer never from a float or a string. A field of the wrong type is 400 {@code M_BAD_JSON}
 * naming the field; a record's constructor reports missing required fields with {@link
 * #required}, which is 400 {@code M_MISSING_PARAM}. Unknown fields are ignored, as clients send
 * more than the spec names.
 */
public final class EndpointJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Boolean,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Integer,
                    c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .build();

    private EndpointJson() {}

    /**
     * Reads the request body of {@code spec} from {@code request}: nothing for {@link NoBody},
     * the JSON object or value for {@code ObjectNode}/{@code JsonNode}, else the record bound from
     * the JSON object.
     *
     * @throws MatrixException 400 {@code M_NOT_JSON}, {@code M_BAD_JSON} or {@code M_MISSING_PARAM}
     */
    public static <B> B readBody(MatrixRequest request, EndpointSpec<B, ?> spec) {
        Class<B> type = spec.requestBody();
        if (type == NoBody.class) {
            return type.cast(NoBody.INSTANCE);
        }
        if (type == JsonNode.class) {
            return type.cast(request.json());
        }
        ObjectNode object = spec.bodyOptional() && request.bodyBytes().length == 0
                ? JsonNodeFactory.instance.objectNode()
                : request.jsonObject();
        if (type == ObjectNode.class) {
            return type.cast(object);
        }
        return fromTree(object, type);
    }

    /**
     * Binds a JSON value to {@code type} with the strict rules of this class.
     *
     * @throws MatrixException 400 {@code M_BAD_JSON} or {@code M_MISSING_PARAM}
     */
    public static <T> T fromTree(JsonNode json, Class<T> type) {
        if (type.isInstance(json)) {
            return type.cast(json);
        }
        try {
            return MAPPER.treeToValue(json, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof MatrixException matrix) {
                throw matrix;
            }
            throw MatrixException.badJson(describe(e));
        } catch (MismatchedInputException e) {
            throw MatrixException.badJson(describe(e));
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MatrixException matrix) {
                throw matrix;
            }
            throw MatrixException.badJson(describe(e));
        }
    }

    /**
     * Parses bytes as JSON and binds them to {@code type}: how a client reads a response.
     *
     * @throws MatrixException 400 {@code M_NOT_JSON} when the bytes are not JSON
     */
    public static <T> T fromBytes(byte[] json, Class<T> type) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw MatrixException.notJson("not JSON: " + e.getMessage());
        }
        if (type == NoBody.class) {
            return type.cast(NoBody.INSTANCE);
        }
        return fromTree(tree, type);
    }

    /** The JSON of a response or request record (or of a JSON value, unchanged). */
    public static JsonNode toTree(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        return MAPPER.valueToTree(value);
    }

    /** The JSON bytes of a response or request record. */
    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(toTree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /**
     * A required field of a request record, for its compact constructor.
     *
     * @throws MatrixException 400 {@code M_MISSING_PARAM} naming {@code field} when {@code value} is null
     */
    public static <T> T required(@Nullable T value, String field) {
        if (value == null) {
            throw MatrixException.missingParam(field);
        }
        return value;
    }

    private static String describe(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping
                ? mapping.getPath().stream()
                        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."))
                : "";
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "'" + field + "' must be " + typeName(mismatch.getTargetType());
        }
        return field.isEmpty() ? "invalid JSON body" : "invalid value for '" + field + "'";
    }

    private static String typeName(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
