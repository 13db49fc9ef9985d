package dev.myelin.server.api.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class PushersApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SET = "/_matrix/client/v3/pushers/set";

    private static ObjectNode pusher() {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"lang":"en","kind":"http","app_display_name":"Mat Rix","device_display_name":"iPhone 9",
                     "profile_tag":"xxyyzz","app_id":"com.example.app.ios","pushkey":"APA91bHPRgkF3JUikC4ENAHEeMrd41",
                     "data":{"url":"https://push-gateway.location.here/_matrix/push/v1/notify",
                             "format":"event_id_only","custom":1},
                     "append":false}""");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void listsNoPushersAtFirstThenTheOnesSet(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get("/_matrix/client/v3/pushers").expect(200).json().toString())
                .isEqualTo("{\"pushers\":[]}");
        alice.post(SET, pusher()).expect(200);
        JsonNode expected = pusher();
        ((ObjectNode) expected).remove("append");
        JsonNode listed = alice.get("/_matrix/client/v3/pushers").expect(200).json();
        assertThat(listed.get("pushers")).hasSize(1);
        assertThat(listed.at("/pushers/0")).isEqualTo(expected);

        // the same app id and pushkey replaces; kind null deletes
        alice.post(SET, pusher().put("lang", "fr")).expect(200);
        assertThat(alice.get("/_matrix/client/v3/pushers")
                        .json()
                        .at("/pushers/0/lang")
                        .asText())
                .isEqualTo("fr");
        alice.post(SET, pusher().putNull("kind")).expect(200);
        assertThat(alice.get("/_matrix/client/v3/pushers").json().get("pushers"))
                .isEmpty();
    }

    @Test
    void aPushkeyMovesToTheLatestUserUnlessAppended(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        alice.post(SET, pusher()).expect(200);
        bob.post(SET, pusher().put("append", true)).expect(200);
        assertThat(alice.get("/_matrix/client/v3/pushers").json().get("pushers"))
                .hasSize(1);
        bob.post(SET, pusher()).expect(200);
        assertThat(alice.get("/_matrix/client/v3/pushers").json().get("pushers"))
                .isEmpty();
        assertThat(bob.get("/_matrix/client/v3/pushers").json().get("pushers")).hasSize(1);
    }

    @Test
    void textTheDatabaseCannotHoldIsRefusedOnEveryDatabase(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        // PostgreSQL refuses NUL in text: it answered 500 there, and stored it on SQLite
        for (String field : new String[] {"pushkey", "app_id", "app_display_name", "device_display_name", "lang"}) {
            ObjectNode withNul = pusher().put(field, "a\u0000b");
            expect(alice.post(SET, withNul), "M_INVALID_PARAM");
        }
        assertThat(alice.get("/_matrix/client/v3/pushers").expect(200).json().get("pushers"))
                .isEmpty();
    }

    @Test
    void keepsAFormatOtherThanEventIdOnly(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        ObjectNode other = pusher();
        ((ObjectNode) other.get("data")).put("format", "id_event_only");
        alice.post(SET, other).expect(200);
        assertThat(alice.get("/_matrix/client/v3/pushers")
                        .json()
                        .at("/pushers/0/data/format")
                        .asText())
                .isEqualTo("id_event_only");
    }

    @Test
    void rejectsInvalidPushers(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        ObjectNode noKind = pusher();
        noKind.remove("kind");
        expect(alice.post(SET, noKind), "M_MISSING_PARAM");
        ObjectNode noApp = pusher();
        noApp.remove("app_id");
        expect(alice.post(SET, noApp), "M_MISSING_PARAM");
        ObjectNode noLangOrData = pusher();
        noLangOrData.remove("lang");
        noLangOrData.remove("data");
        TestResponse missing = alice.post(SET, noLangOrData);
        expect(missing, "M_MISSING_PARAM");
        assertThat(missing.json().get("error").asText()).contains("lang", "data");
        ObjectNode noUrl = pusher();
        ((ObjectNode) noUrl.get("data")).remove("url");
        expect(alice.post(SET, noUrl), "M_MISSING_PARAM");
        ObjectNode wrongPath = pusher();
        ((ObjectNode) wrongPath.get("data")).put("url", "https://gateway.example/notify");
        expect(alice.post(SET, wrongPath), "M_INVALID_PARAM");
        ObjectNode notUrl = pusher();
        ((ObjectNode) notUrl.get("data")).put("url", "not a url");
        expect(alice.post(SET, notUrl), "M_INVALID_PARAM");
        expect(alice.post(SET, pusher().put("kind", "email")), "M_INVALID_PARAM");
        expect(alice.post(SET, pusher().put("kind", 7)), "M_BAD_JSON");
        expect(alice.post(SET, pusher().put("app_id", "x".repeat(65))), "M_INVALID_PARAM");
        expect(alice.post(SET, pusher().put("pushkey", "x".repeat(513))), "M_INVALID_PARAM");
        expect(alice.post(SET, pusher().put("data", "url")), "M_BAD_JSON");
        ObjectNode numericFormat = pusher();
        ((ObjectNode) numericFormat.get("data")).put("format", 5);
        expect(alice.post(SET, numericFormat), "M_BAD_JSON");
        expect(alice.post(SET, pusher().put("append", "yes")), "M_BAD_JSON");
        expect(alice.post(SET, pusher().put("lang", 5)), "M_BAD_JSON");
        expect(alice.post(SET, "{"), "M_NOT_JSON");
        expect(alice.post(SET, "[]"), "M_BAD_JSON");
        assertThat(alice.get("/_matrix/client/v3/pushers").json().get("pushers"))
                .isEmpty();
    }

    @Test
    void notificationsAreAnEmptyList(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get("/_matrix/client/v3/notifications?limit=5")
                        .expect(200)
                        .json()
                        .toString())
                .isEqualTo("{\"notifications\":[]}");
        expect(alice.get("/_matrix/client/v3/notifications?limit=-1"), "M_INVALID_PARAM");
    }

    private static void expect(TestResponse response, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.errcode()).isEqualTo(errcode);
    }
}
