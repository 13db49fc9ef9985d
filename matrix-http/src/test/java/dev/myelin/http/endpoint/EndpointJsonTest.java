package dev.myelin.http.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.http.error.MatrixException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class EndpointJsonTest {
    record Body(
            String userId,
            @Nullable String reason,
            boolean force,
            @Nullable Long limit,
            List<String> tags) {
        Body {
            EndpointJson.required(userId, "user_id");
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    record Answer(String eventId, @Nullable String missing) {}

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void bindsSnakeCaseFieldsToRecordComponents() throws Exception {
        Body body = EndpointJson.fromTree(
                json("{\"user_id\":\"@a:x\",\"force\":true,\"limit\":5,\"tags\":[\"t\"],\"extra\":1}"), Body.class);
        assertThat(body).isEqualTo(new Body("@a:x", null, true, 5L, List.of("t")));
    }

    @Test
    void missingRequiredFieldIsMissingParam() {
        assertThatThrownBy(() -> EndpointJson.fromTree(json("{\"force\":true}"), Body.class))
                .isInstanceOfSatisfying(MatrixException.class, e -> {
                    assertThat(e.errcode().value()).isEqualTo("M_MISSING_PARAM");
                    assertThat(e.getMessage()).contains("user_id");
                });
    }

    @Test
    void numberWhereAStringBelongsIsBadJsonNamingTheField() {
        assertThatThrownBy(() -> EndpointJson.fromTree(json("{\"user_id\":12}"), Body.class))
                .isInstanceOfSatisfying(MatrixException.class, e -> {
                    assertThat(e.errcode().value()).isEqualTo("M_BAD_JSON");
                    assertThat(e.getMessage()).isEqualTo("'user_id' must be a string");
                });
    }

    @Test
    void stringWhereABooleanOrIntegerBelongsIsBadJson() {
        assertThatThrownBy(() -> EndpointJson.fromTree(json("{\"user_id\":\"@a:x\",\"force\":\"yes\"}"), Body.class))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.getMessage()).isEqualTo("'force' must be a boolean"));
        assertThatThrownBy(() -> EndpointJson.fromTree(json("{\"user_id\":\"@a:x\",\"limit\":\"5\"}"), Body.class))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.getMessage()).isEqualTo("'limit' must be an integer"));
        assertThatThrownBy(() -> EndpointJson.fromTree(json("{\"user_id\":\"@a:x\",\"limit\":1.5}"), Body.class))
                .isInstanceOfSatisfying(
                        MatrixException.class,
                        e -> assertThat(e.errcode().value()).isEqualTo("M_BAD_JSON"));
    }

    @Test
    void writesSnakeCaseAndLeavesOutNulls() {
        assertThat(new String(EndpointJson.toBytes(new Answer("$e", null)), StandardCharsets.UTF_8))
                .isEqualTo("{\"event_id\":\"$e\"}");
        assertThat(EndpointJson.toTree(EmptyResponse.INSTANCE).toString()).isEqualTo("{}");
    }

    @Test
    void pathOfEncodesEachValueAsOneSegment() {
        EndpointSpec<NoBody, Answer> spec =
                EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/state/{type}/{key}", Answer.class);
        assertThat(spec.pathOf("!r:x", "m.room.name", "a/b c"))
                .isEqualTo("/_matrix/client/v3/rooms/%21r%3Ax/state/m.room.name/a%2Fb%20c");
        assertThat(spec.pathParamNames()).containsExactly("roomId", "type", "key");
        assertThatThrownBy(() -> spec.pathOf("!r:x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tailParameterKeepsItsSlashes() {
        EndpointSpec<NoBody, Answer> spec =
                EndpointSpec.get("/_matrix/media/v3/download/{server}/{rest...}", Answer.class);
        assertThat(spec.pathOf("x", "id/name file")).isEqualTo("/_matrix/media/v3/download/x/id/name%20file");
    }

    @Test
    void callCarriesQueryAndBody() {
        EndpointSpec<Body, Answer> spec = EndpointSpec.post("/_matrix/client/v3/x/{id}", Body.class, Answer.class);
        EndpointCall<Body, Answer> call = EndpointCall.of(spec, new Body("@a:x", null, false, null, List.of()), "1")
                .query("limit", 10)
                .query("dir", "b f");
        assertThat(call.uri()).isEqualTo("/_matrix/client/v3/x/1?limit=10&dir=b+f");
        assertThat(new String(call.bodyBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"user_id\":\"@a:x\",\"force\":false,\"tags\":[]}");
        assertThat(call.readResponse("{\"event_id\":\"$1\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Answer("$1", null));
    }
}
