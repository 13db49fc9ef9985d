package dev.myelin.server.api;

import static dev.myelin.server.api.ProfileApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class ProfileFieldsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ALICE = "/_matrix/client/v3/profile/%40alice%3Atest.local";

    @Test
    void customFieldsHoldAnyJsonAndShowInTheWholeProfile(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.put(ALICE + "/m.tz", NODES.objectNode().put("m.tz", "Europe/London"))
                .expect(200);
        ObjectNode pronouns = NODES.objectNode();
        pronouns.putArray("io.fsky.nyx.pronouns")
                .addObject()
                .put("summary", "she/her")
                .put("language", "en");
        alice.put(ALICE + "/io.fsky.nyx.pronouns", pronouns).expect(200);

        assertThat(hs.anonymous().get(ALICE + "/m.tz").expect(200).json())
                .isEqualTo(NODES.objectNode().put("m.tz", "Europe/London"));
        assertThat(hs.anonymous()
                        .get(ALICE + "/io.fsky.nyx.pronouns")
                        .expect(200)
                        .json())
                .isEqualTo(pronouns);
        ObjectNode whole = NODES.objectNode().put("displayname", "alice");
        whole.set("io.fsky.nyx.pronouns", pronouns.get("io.fsky.nyx.pronouns"));
        whole.put("m.tz", "Europe/London");
        assertThat(hs.anonymous().get(ALICE).expect(200).json()).isEqualTo(whole);

        alice.put(ALICE + "/m.tz", NODES.objectNode().put("m.tz", "America/New_York"))
                .expect(200);
        assertThat(hs.anonymous()
                        .get(ALICE + "/m.tz")
                        .expect(200)
                        .json()
                        .get("m.tz")
                        .asText())
                .isEqualTo("America/New_York");
    }

    @Test
    void deletingRemovesAFieldAndClearsTheClassicOnes(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.put(ALICE + "/com.example.mood", NODES.objectNode().put("com.example.mood", 7))
                .expect(200);
        alice.request("DELETE", ALICE + "/com.example.mood", null).expect(200);
        assertError(hs.anonymous().get(ALICE + "/com.example.mood"), 404, "M_NOT_FOUND");
        // deleting what is not set is fine
        alice.request("DELETE", ALICE + "/com.example.mood", null).expect(200);

        alice.request("DELETE", ALICE + "/displayname", null).expect(200);
        assertThat(hs.anonymous().get(ALICE).expect(200).json()).isEqualTo(NODES.objectNode());
    }

    @Test
    void badKeysBodiesAndOthersProfilesAreRefused(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        assertError(alice.put(ALICE + "/Not.Valid", NODES.objectNode().put("Not.Valid", 1)), 400, "M_INVALID_PARAM");
        assertError(alice.put(ALICE + "/nodots", NODES.objectNode().put("nodots", 1)), 400, "M_INVALID_PARAM");
        String longKey = "com.example." + "k".repeat(250);
        assertError(alice.put(ALICE + "/" + longKey, NODES.objectNode().put(longKey, 1)), 400, "M_KEY_TOO_LARGE");
        assertError(
                alice.put(ALICE + "/com.example.a", NODES.objectNode().put("com.example.b", 1)),
                400,
                "M_MISSING_PARAM");
        assertError(
                alice.put(
                        ALICE + "/com.example.a",
                        NODES.objectNode().put("com.example.a", 1).put("other", 2)),
                400,
                "M_BAD_JSON");
        assertError(alice.put(ALICE + "/m.tz", NODES.objectNode().put("m.tz", 3)), 400, "M_BAD_JSON");
        assertError(alice.put(ALICE + "/displayname", NODES.objectNode().put("displayname", 3)), 400, "M_BAD_JSON");
        assertError(bob.put(ALICE + "/com.example.a", NODES.objectNode().put("com.example.a", 1)), 403, "M_FORBIDDEN");
        assertError(bob.request("DELETE", ALICE + "/com.example.a", null), 403, "M_FORBIDDEN");
        assertError(
                hs.anonymous().put(ALICE + "/com.example.a", NODES.objectNode().put("com.example.a", 1)),
                401,
                "M_MISSING_TOKEN");
        assertError(hs.anonymous().get("/_matrix/client/v3/profile/%40nobody%3Atest.local/m.tz"), 404, "M_NOT_FOUND");
    }

    @Test
    void aProfileStaysUnder64KiB(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String big = "x".repeat(40_000);
        alice.put(ALICE + "/com.example.one", NODES.objectNode().put("com.example.one", big))
                .expect(200);
        assertError(
                alice.put(ALICE + "/com.example.two", NODES.objectNode().put("com.example.two", big)),
                400,
                "M_PROFILE_TOO_LARGE");
        // replacing a field counts its new value, not the old one too
        alice.put(ALICE + "/com.example.one", NODES.objectNode().put("com.example.one", big + "y"))
                .expect(200);
    }
}
