package dev.myelin.server.api.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class PushRulesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULES = "/_matrix/client/v3/pushrules/global/";

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> ids(JsonNode rules) {
        List<String> ids = new ArrayList<>();
        rules.forEach(r -> ids.add(r.get("rule_id").asText()));
        return ids;
    }

    @Test
    void servesTheDefaultRulesetForANewUser(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        JsonNode all = alice.get("/_matrix/client/v3/pushrules/").expect(200).json();
        assertThat(all.fieldNames()).toIterable().containsExactly("global");
        JsonNode global = all.get("global");
        assertThat(global).isEqualTo(alice.get(RULES).expect(200).json());
        assertThat(ids(global.get("override")))
                .startsWith(".m.rule.master", ".m.rule.suppress_notices")
                .hasSize(10);
        assertThat(ids(global.get("underride"))).endsWith(".m.rule.message", ".m.rule.encrypted");
        assertThat(global.get("content")).isEmpty();
        assertThat(global.get("room")).isEmpty();
        assertThat(global.get("sender")).isEmpty();
        assertThat(global.at("/override/2/conditions/2"))
                .isEqualTo(json("{\"kind\":\"event_match\",\"key\":\"state_key\",\"pattern\":\"@alice:test.local\"}"));
    }

    @Test
    void createsReadsAndDeletesAUserRule(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.put(
                        RULES + "content/cake",
                        json("{\"pattern\":\"cake\",\"actions\":[\"notify\","
                                + "{\"set_tweak\":\"sound\",\"value\":\"cakealarm.wav\"}]}"))
                .expect(200);
        assertThat(alice.get(RULES + "content/cake").expect(200).json()).isEqualTo(json("""
                {"rule_id":"cake","default":false,"enabled":true,"pattern":"cake",
                 "actions":["notify",{"set_tweak":"sound","value":"cakealarm.wav"}]}"""));
        assertThat(ids(alice.get(RULES).json().get("content"))).containsExactly("cake");

        String room = "!dj234r78wl45Gh4D:matrix.org";
        alice.put(RULES + "room/" + TestClient.encode(room), json("{\"actions\":[]}"))
                .expect(200);
        assertThat(alice.get(RULES + "room/" + TestClient.encode(room))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"rule_id\":\"" + room + "\",\"default\":false,\"enabled\":true,\"actions\":[]}"));

        alice.request("DELETE", RULES + "content/cake", null).expect(200);
        assertThat(alice.get(RULES + "content/cake").errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(alice.request("DELETE", RULES + "content/cake", null).status())
                .isEqualTo(404);
    }

    @Test
    void storesTheEffectiveRulesetAsPushRulesAccountData(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.put(
                        RULES + "override/beer",
                        json(
                                "{\"conditions\":[{\"kind\":\"event_match\",\"key\":\"content.body\","
                                        + "\"pattern\":\"beer\"},{\"kind\":\"room_member_count\",\"is\":\"<=10\"}],\"actions\":[\"notify\"]}"))
                .expect(200);
        JsonNode stored = alice.get(
                        "/_matrix/client/v3/user/" + TestClient.encode(alice.userId()) + "/account_data/m.push_rules")
                .expect(200)
                .json();
        assertThat(stored).isEqualTo(alice.get("/_matrix/client/v3/pushrules/").json());
        assertThat(ids(stored.at("/global/override"))).startsWith(".m.rule.master", "beer", ".m.rule.suppress_notices");
    }

    @Test
    void ordersNewRulesWithBeforeAndAfter(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        ObjectNode rule = json("{\"actions\":[\"notify\"]}");
        alice.put(RULES + "override/a", rule).expect(200);
        alice.put(RULES + "override/b", rule).expect(200);
        assertThat(ids(alice.get(RULES).json().get("override")).subList(0, 3))
                .containsExactly(".m.rule.master", "b", "a");
        alice.put(RULES + "override/c?after=a", rule).expect(200);
        alice.put(RULES + "override/d?before=a", rule).expect(200);
        alice.put(RULES + "override/e?before=b&after=c", rule).expect(200);
        assertThat(ids(alice.get(RULES).json().get("override")).subList(0, 6))
                .containsExactly(".m.rule.master", "e", "b", "d", "a", "c");
        // replacing a rule without before/after keeps its place
        alice.put(RULES + "override/d", json("{\"actions\":[]}")).expect(200);
        assertThat(ids(alice.get(RULES).json().get("override")).get(3)).isEqualTo("d");

        TestResponse unknown = alice.put(RULES + "override/f?before=nope", rule);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).contains("nope");
        assertThat(alice.put(RULES + "override/f?after=.m.rule.master", rule).status())
                .isEqualTo(400);
        assertThat(alice.get(RULES + "override/f").status()).isEqualTo(404);
    }

    @Test
    void enablesAndChangesActionsOfDefaultRules(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String master = RULES + "override/.m.rule.master";
        assertThat(alice.get(master + "/enabled").expect(200).json()).isEqualTo(json("{\"enabled\":false}"));
        alice.put(master + "/enabled", json("{\"enabled\":true}")).expect(200);
        assertThat(alice.get(master + "/enabled").json().get("enabled").asBoolean())
                .isTrue();
        assertThat(alice.get(master).json().get("default").asBoolean()).isTrue();

        String message = RULES + "underride/.m.rule.message";
        assertThat(alice.get(message + "/actions").expect(200).json()).isEqualTo(json("{\"actions\":[\"notify\"]}"));
        alice.put(
                        message + "/actions",
                        json("{\"actions\":[\"notify\",{\"set_tweak\":\"highlight\",\"value\":false}]}"))
                .expect(200);
        assertThat(alice.get(message + "/actions").json())
                .isEqualTo(json("{\"actions\":[\"notify\",{\"set_tweak\":\"highlight\",\"value\":false}]}"));
        // dont_notify is a historical action: kept as written (it means the same as no actions)
        alice.put(message + "/actions", json("{\"actions\":[\"dont_notify\"]}")).expect(200);
        assertThat(alice.get(message + "/actions").json()).isEqualTo(json("{\"actions\":[\"dont_notify\"]}"));

        // another user is unaffected
        TestClient bob = hs.registerUser("bob");
        assertThat(bob.get(master + "/enabled").json().get("enabled").asBoolean())
                .isFalse();
    }

    @Test
    void rejectsBadKindsIdsAndBodies(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        ObjectNode ok = json("{\"actions\":[\"notify\"]}");
        expect(alice.get(RULES + "middle/x"), 400, "M_INVALID_PARAM");
        expect(alice.put(RULES + "middle/x", ok), 400, "M_INVALID_PARAM");
        expect(alice.request("DELETE", RULES + "middle/x", null), 400, "M_INVALID_PARAM");
        expect(alice.get(RULES + "override/nothing"), 404, "M_NOT_FOUND");
        expect(alice.get(RULES + "override/nothing/enabled"), 404, "M_NOT_FOUND");
        expect(alice.put(RULES + "override/nothing/enabled", json("{\"enabled\":true}")), 404, "M_NOT_FOUND");
        expect(alice.get(RULES + "override/nothing/actions"), 404, "M_NOT_FOUND");
        expect(alice.put(RULES + "override/nothing/actions", ok), 404, "M_NOT_FOUND");

        // server-default rules can be neither created nor deleted
        expect(alice.put(RULES + "override/.m.rule.master", ok), 400, "M_INVALID_PARAM");
        expect(alice.put(RULES + "override/.mine", ok), 400, "M_INVALID_PARAM");
        expect(alice.request("DELETE", RULES + "override/.m.rule.master", null), 400, "M_INVALID_PARAM");
        expect(alice.request("DELETE", RULES + "override/.m.rule.unheard_of", null), 404, "M_NOT_FOUND");

        // a backslash in a rule id is refused; the HTTP layer already turns an encoded one away
        assertThat(alice.put(RULES + "override/a%5Cb", ok).status()).isEqualTo(400);
        expect(alice.put(RULES + "sender/not-a-user", ok), 400, "M_INVALID_PARAM");
        expect(alice.put(RULES + "override/x", json("{}")), 400, "M_MISSING_PARAM");
        expect(alice.put(RULES + "override/x", json("{\"actions\":\"notify\"}")), 400, "M_INVALID_PARAM");
        expect(alice.put(RULES + "override/x", json("{\"actions\":[\"explode\"]}")), 400, "M_INVALID_PARAM");
        expect(alice.put(RULES + "override/x", json("{\"actions\":[{\"sound\":\"x\"}]}")), 400, "M_INVALID_PARAM");
        expect(alice.put(RULES + "override/x", json("{\"actions\":[],\"conditions\":{}}")), 400, "M_INVALID_PARAM");
        expect(
                alice.put(RULES + "override/x", json("{\"actions\":[],\"conditions\":[{\"kind\":\"event_match\"}]}")),
                400,
                "M_INVALID_PARAM");
        expect(
                alice.put(
                        RULES + "override/x",
                        json("{\"actions\":[],\"conditions\":[{\"kind\":\"room_member_count\","
                                + "\"is\":\"lots\"}]}")),
                400,
                "M_INVALID_PARAM");
        expect(alice.put(RULES + "content/x", ok), 400, "M_INVALID_PARAM");
        expect(alice.put(RULES + "override/x", "[1]"), 400, "M_BAD_JSON");
        expect(alice.put(RULES + "override/.m.rule.master/enabled", json("{}")), 400, "M_MISSING_PARAM");
        expect(alice.put(RULES + "override/.m.rule.master/enabled", json("{\"enabled\":\"yes\"}")), 400, "M_BAD_JSON");
        expect(alice.put(RULES + "override/.m.rule.master/actions", json("{}")), 400, "M_MISSING_PARAM");
        expect(alice.put(RULES + "override/.m.rule.master/actions", "{"), 400, "M_NOT_JSON");
        expect(alice.put(RULES + "override/.m.rule.master/enabled", "[]"), 400, "M_BAD_JSON");
        expect(
                alice.put(RULES + "override/.m.rule.master/enabled", json("{\"enabled\":null}")),
                400,
                "M_MISSING_PARAM");
        expect(hs.anonymous().get("/_matrix/client/v3/pushrules/"), 401, "M_MISSING_TOKEN");

        // unknown condition kinds are allowed: they just never match
        alice.put(RULES + "override/future", json("{\"actions\":[],\"conditions\":[{\"kind\":\"org.example.new\"}]}"))
                .expect(200);
        assertThat(alice.get(RULES + "override/future")
                        .json()
                        .at("/conditions/0/kind")
                        .asText())
                .isEqualTo("org.example.new");
    }

    @Test
    void listsTheRulesOfOneKindUnderItsTrailingSlash(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.put(RULES + "room/%23spam:example.com", json("{\"actions\":[\"notify\"]}"))
                .expect(200);
        alice.put(RULES + "room/%21a:example.com", json("{\"actions\":[]}")).expect(200);
        JsonNode rooms = alice.get(RULES + "room/").expect(200).json();
        assertThat(ids(rooms)).containsExactly("!a:example.com", "#spam:example.com");
        assertThat(rooms.get(1))
                .isEqualTo(json("{\"rule_id\":\"#spam:example.com\",\"default\":false,\"enabled\":true,"
                        + "\"actions\":[\"notify\"]}"));
        assertThat(alice.get(RULES + "room/%23spam:example.com").expect(200).json())
                .isEqualTo(rooms.get(1));
        assertThat(ids(alice.get(RULES + "override/").expect(200).json())).startsWith(".m.rule.master");
        assertThat(alice.get(RULES + "content/").expect(200).json()).isEmpty();
        expect(alice.get(RULES + "middle/"), 400, "M_INVALID_PARAM");
        expect(hs.anonymous().get(RULES + "room/"), 401, "M_MISSING_TOKEN");
    }

    @Test
    void malformedPushRulePathsAreUnrecognizedRequests(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        ObjectNode ok = json("{\"actions\":[\"notify\"]}");
        String base = "/_matrix/client/v3/pushrules";
        for (String path : List.of(
                "/",
                "/not_a_scope/room/%23spam:example.com",
                "/global",
                "/global/room",
                "/global/override/.m.rule.master/not_an_attr",
                "/global/override/.m.rule.master/enabled/more",
                "/global/override/.m.rule.master/")) {
            expect(alice.put(base + path, ok), 400, "M_UNRECOGNIZED");
            expect(alice.request("DELETE", base + path, null), 400, "M_UNRECOGNIZED");
        }
        for (String path :
                List.of("/global", "/global/room", "/not_a_scope/", "/global/override/.m.rule.master/not_an_attr")) {
            expect(alice.get(base + path), 400, "M_UNRECOGNIZED");
        }
        // without the trailing slash it is not the push rules API's path at all
        expect(alice.get(base), 404, "M_UNRECOGNIZED");
        expect(alice.put(base, ok), 404, "M_UNRECOGNIZED");
        expect(hs.anonymous().get(base + "/global"), 401, "M_MISSING_TOKEN");
        // the well-formed paths are unaffected
        alice.get(RULES + "override/.m.rule.master/enabled").expect(200);
        expect(alice.get(RULES + "override/not_a_rule_id"), 404, "M_NOT_FOUND");
        expect(alice.post(RULES, ok), 405, "M_UNRECOGNIZED");
    }

    private static void expect(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.json().toString()).isEqualTo(status);
        assertThat(response.errcode()).isEqualTo(errcode);
    }
}
