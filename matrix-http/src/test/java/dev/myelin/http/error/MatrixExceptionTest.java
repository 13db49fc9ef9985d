package dev.myelin.http.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MatrixExceptionTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void writesStandardErrorBody() throws Exception {
        assertThat(MatrixException.forbidden("You are not invited").toJson())
                .isEqualTo(json.readTree("{\"errcode\":\"M_FORBIDDEN\",\"error\":\"You are not invited\"}"));
        assertThat(MatrixException.limitExceeded(1500).toJson().toString())
                .isEqualTo(
                        "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":1500}");
        assertThat(MatrixException.missingParam("from").toJson())
                .isEqualTo(json.readTree("{\"errcode\":\"M_MISSING_PARAM\",\"error\":\"Missing parameter: from\"}"));
    }

    @Test
    void userInteractiveAuthCarriesTheWholeBody() throws Exception {
        var first = (ObjectNode)
                json.readTree("{\"flows\":[{\"stages\":[\"m.login.password\"]}],\"params\":{},\"session\":\"abc\"}");
        MatrixException challenge = MatrixException.authRequired(first);
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.toJson()).as("sent as given, no errcode added").isEqualTo(first);
        assertThat(challenge.errcode()).isEqualTo(ErrorCode.UNAUTHORIZED);
        first.put("session", "changed");
        assertThat(challenge.toJson().get("session").asText())
                .as("a copy was kept")
                .isEqualTo("abc");

        var failed = (ObjectNode) json.readTree("{\"flows\":[],\"params\":{},"
                + "\"session\":\"abc\",\"completed\":[\"m.login.dummy\"],\"errcode\":\"M_FORBIDDEN\","
                + "\"error\":\"Invalid password\"}");
        MatrixException denied = MatrixException.authRequired(failed);
        assertThat(denied.toJson()).isEqualTo(failed);
        assertThat(denied.errcode()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(denied.getMessage()).isEqualTo("Invalid password");
        assertThat(denied.withField("extra", json.readTree("1"))
                        .toJson()
                        .get("extra")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void factoriesCarryTheSpecStatuses() {
        assertThat(MatrixException.forbidden("x").status()).isEqualTo(403);
        assertThat(MatrixException.notFound("x").status()).isEqualTo(404);
        assertThat(MatrixException.badJson("x").status()).isEqualTo(400);
        assertThat(MatrixException.notJson("x").status()).isEqualTo(400);
        assertThat(MatrixException.invalidParam("limit", "not an integer").errcode())
                .isEqualTo(ErrorCode.INVALID_PARAM);
        assertThat(MatrixException.unknownToken("x", true).status()).isEqualTo(401);
        assertThat(MatrixException.missingToken().status()).isEqualTo(401);
        assertThat(MatrixException.tooLarge(10).status()).isEqualTo(413);
        assertThat(MatrixException.unrecognized().status()).isEqualTo(404);
        assertThat(MatrixException.methodNotAllowed().status()).isEqualTo(405);
        assertThat(MatrixException.unknown("x").status()).isEqualTo(500);
    }

    @Test
    void unknownRemoteErrorCodeSurvivesRoundTrip() throws Exception {
        var remote = json.readTree(
                "{\"errcode\":\"ORG_EXAMPLE_CUSTOM\",\"error\":\"custom\",\"admin_contact\":\"mailto:a@b\"}");

        MatrixException e = MatrixException.fromJson(403, remote);

        assertThat(e.errcode()).isEqualTo(ErrorCode.of("ORG_EXAMPLE_CUSTOM"));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.toJson()).isEqualTo(remote);
    }

    @Test
    void nonMatrixRemoteBodyBecomesUnknown() throws Exception {
        MatrixException e = MatrixException.fromJson(502, json.readTree("[1]"));

        assertThat(e.errcode()).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(e.status()).isEqualTo(502);
    }

    @Test
    void extraFieldsCannotOverrideErrcodeOrError() throws Exception {
        MatrixException e = MatrixException.forbidden("no")
                .withField("errcode", json.readTree("\"M_SPOOF\""))
                .withField("soft_logout", json.readTree("true"));

        assertThat(e.toJson())
                .isEqualTo(json.readTree("{\"errcode\":\"M_FORBIDDEN\",\"error\":\"no\",\"soft_logout\":true}"));
    }

    @Test
    void errorCodesCompareByValue() {
        assertThat(ErrorCode.of("M_FORBIDDEN")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(ErrorCode.WEAK_PASSWORD.value()).isEqualTo("M_WEAK_PASSWORD");
    }
}
