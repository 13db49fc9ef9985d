package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transport half of {@code PUT /_matrix/federation/v1/send/{txnId}}: signed by the origin, the
 * transaction's shape and size checked, and a transaction sent again answered as the first time.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class SendTransactionApiTest {
    /** An IP literal with a port nothing listens on: a fetch of its keys fails at once, without DNS. */
    private static final ServerName REMOTE = ServerName.parse("127.0.0.1:1");

    private static final SigningKey REMOTE_KEY = SigningKey.generate("r1");
    private static final JsonMapper JSON = new JsonMapper();

    private static void trustRemote(TestHomeserver hs) {
        long now = hs.time().nowMillis();
        ServerKeys keys = new ServerKeys(
                REMOTE,
                Map.of(REMOTE_KEY.keyId(), REMOTE_KEY.verifyKey()),
                Map.of(),
                now + Duration.ofHours(1).toMillis());
        ObjectNode signed = JsonSigning.sign(keys.toJson(), REMOTE, REMOTE_KEY);
        hs.homeserver().testSeam().rememberServerKeys(signed, now);
    }

    private static TestResponse signedPut(TestHomeserver hs, String txnId, ObjectNode body) {
        String uri = "/_matrix/federation/v1/send/" + txnId;
        String header = new RequestSigner(REMOTE, REMOTE_KEY)
                .sign("PUT", uri, ServerName.parse(hs.serverName()), Optional.of(body))
                .format();
        return hs.request("PUT", uri, body, List.of(Map.entry("Authorization", header)));
    }

    private static ObjectNode transaction(int pdus, int edus) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", REMOTE.toString());
        body.put("origin_server_ts", 1_700_000_000_000L);
        ArrayNode pduArray = body.putArray("pdus");
        for (int i = 0; i < pdus; i++) {
            pduArray.addObject().put("type", "m.room.message").put("room_id", "!unknown:remote");
        }
        ArrayNode eduArray = body.putArray("edus");
        for (int i = 0; i < edus; i++) {
            eduArray.addObject().put("edu_type", "m.typing");
        }
        return body;
    }

    @Test
    void aSignedTransactionIsAnsweredAndTheSameAnswerComesForARepeat(TestHomeserver hs) throws Exception {
        trustRemote(hs);

        JsonNode first = signedPut(hs, "t1", transaction(2, 1)).expect(200).json();
        JsonNode again = signedPut(hs, "t1", transaction(2, 1)).expect(200).json();

        assertThat(first).isEqualTo(JSON.readTree("{\"pdus\":{}}"));
        assertThat(again).isEqualTo(first);
    }

    @Test
    void anUnsignedTransactionIs401(TestHomeserver hs) {
        TestResponse response = hs.request("PUT", "/_matrix/federation/v1/send/t2", transaction(0, 0), List.of());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errcode()).isEqualTo("M_UNAUTHORIZED");
    }

    @Test
    void badTransactionsAre400(TestHomeserver hs) {
        trustRemote(hs);

        TestResponse tooMany = signedPut(hs, "t3", transaction(51, 0));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.errcode()).isEqualTo("M_BAD_JSON");
        assertThat(signedPut(hs, "t4", transaction(0, 101)).status()).isEqualTo(400);

        ObjectNode noPdus = transaction(0, 0);
        noPdus.remove("pdus");
        TestResponse missing = signedPut(hs, "t5", noPdus);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errcode()).isEqualTo("M_MISSING_PARAM");

        ObjectNode notArray = transaction(0, 0);
        notArray.put("pdus", "nope");
        TestResponse wrongType = signedPut(hs, "t6", notArray);
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.errcode()).isEqualTo("M_BAD_JSON");
    }
}
