package dev.myelin.server.api.appservice;

import static dev.myelin.server.api.appservice.FakeBridges.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Third-party protocols, users and locations, as the application services bridging them answer. */
class ThirdPartyApiTest {
    private static final String V3 = "/_matrix/client/v3";
    private static final String YMCA_ONE = """
            {"user_fields": ["field1", "field2"], "location_fields": ["field3"], "icon": "mxc://1234/56/7",
             "field_types": {}, "instances": [{"desc": "instance 1", "network_id": "net1", "fields": {}},
                                             {"desc": "instance 2", "fields": {}}]}""";
    private static final String YMCA_TWO = """
            {"user_fields": ["other"], "location_fields": [], "icon": "mxc://other", "field_types": {},
             "instances": [{"desc": "instance 3", "network_id": "net3", "fields": {}}]}""";

    @TempDir
    Path dir;

    private static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }

    @Test
    void protocolsMergeTheInstancesOfEveryServiceAndSkipThoseThatFail() {
        FakeBridges bridges = new FakeBridges(dir)
                .register("one", true, "ymca", "gone")
                .register("two", true, "ymca", "junk")
                .register("silent", false, "ymca");
        bridges.answer("one", "/thirdparty/protocol/ymca", 200, YMCA_ONE);
        bridges.answer("two", "/thirdparty/protocol/ymca", 200, YMCA_TWO);
        bridges.down("one", "/thirdparty/protocol/gone");
        bridges.answer("two", "/thirdparty/protocol/junk", 200, "[]");
        try (TestHomeserver hs = bridges.start()) {
            TestClient alice = hs.registerUser("alice");
            String merged = """
                    {"user_fields": ["field1", "field2"], "location_fields": ["field3"], "icon": "mxc://1234/56/7",
                     "field_types": {}, "instances": [
                       {"desc": "instance 1", "network_id": "net1", "fields": {}, "instance_id": "one|net1"},
                       {"desc": "instance 2", "fields": {}},
                       {"desc": "instance 3", "network_id": "net3", "fields": {}, "instance_id": "two|net3"}]}""";
            assertThat(alice.get(V3 + "/thirdparty/protocols").expect(200).json())
                    .isEqualTo(json("{\"ymca\": " + merged + "}"));
            assertThat(alice.get(V3 + "/thirdparty/protocol/ymca").expect(200).json())
                    .isEqualTo(json(merged));
            assertError(alice.get(V3 + "/thirdparty/protocol/gone"), 404, "M_NOT_FOUND");
            assertError(alice.get(V3 + "/thirdparty/protocol/junk"), 404, "M_NOT_FOUND");
            assertError(alice.get(V3 + "/thirdparty/protocol/nobody"), 404, "M_NOT_FOUND");
            assertError(hs.anonymous().get(V3 + "/thirdparty/protocols"), 401, "M_MISSING_TOKEN");
            assertError(hs.anonymous().get(V3 + "/thirdparty/protocol/ymca"), 401, "M_MISSING_TOKEN");
            assertThat(bridges.received)
                    .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer hs-" + r.service()));
            assertThat(bridges.requestsTo("silent")).isEmpty();
        }
    }

    @Test
    void aProtocolDescriptionIsKeptForAnHour() {
        FakeBridges bridges = new FakeBridges(dir).register("one", true, "ymca");
        bridges.answer("one", "/thirdparty/protocol/ymca", 200, YMCA_ONE);
        try (TestHomeserver hs = bridges.start()) {
            TestClient alice = hs.registerUser("alice");
            alice.get(V3 + "/thirdparty/protocol/ymca").expect(200);
            bridges.answer("one", "/thirdparty/protocol/ymca", 200, YMCA_TWO);
            hs.clock().advance(Duration.ofMinutes(59));
            assertThat(alice.get(V3 + "/thirdparty/protocols")
                            .expect(200)
                            .json()
                            .at("/ymca/icon")
                            .asText())
                    .isEqualTo("mxc://1234/56/7");
            hs.clock().advance(Duration.ofMinutes(2));
            assertThat(alice.get(V3 + "/thirdparty/protocol/ymca")
                            .expect(200)
                            .json()
                            .at("/icon")
                            .asText())
                    .isEqualTo("mxc://other");
            assertThat(bridges.requestsTo("one"))
                    .containsExactly("GET /thirdparty/protocol/ymca", "GET /thirdparty/protocol/ymca");
        }
    }

    @Test
    void lookupsPassTheFieldsOnAndConcatenateTheWellFormedResults() {
        FakeBridges bridges = new FakeBridges(dir)
                .register("one", true, "ymca")
                .register("two", true, "ymca")
                .register("three", true, "ymca")
                .register("other", true, "irc");
        bridges.answer("one", "/thirdparty/user/ymca", 200, """
                [{"protocol": "ymca", "fields": {"field1": "result"}, "userid": "@remote:bridged.example.com"}]""");
        bridges.answer("two", "/thirdparty/user/ymca", 200, """
                [{"protocol": "ymca", "fields": {}, "userid": "@two:bridged.example.com"},
                 {"protocol": "ymca", "userid": "@nofields:bridged.example.com"},
                 {"protocol": "ymca", "fields": {}, "alias": "#wrongkind:bridged.example.com"}, 7]""");
        bridges.down("three", "/thirdparty/user/ymca");
        bridges.answer("one", "/thirdparty/location/ymca", 200, """
                [{"protocol": "ymca", "fields": {"field3": "result"}, "alias": "#remote:bridged.example.com"}]""");
        bridges.answer("two", "/thirdparty/location/ymca", 200, "{\"not\": \"a list\"}");
        bridges.answer("three", "/thirdparty/location/ymca", 500, "oops");
        try (TestHomeserver hs = bridges.start()) {
            TestClient alice = hs.registerUser("alice");
            assertThat(alice.get(V3 + "/thirdparty/user/ymca?field1=ONE&field2=TWO%20too")
                            .expect(200)
                            .json())
                    .isEqualTo(json("""
                            [{"protocol": "ymca", "fields": {"field1": "result"}, "userid": "@remote:bridged.example.com"},
                             {"protocol": "ymca", "fields": {}, "userid": "@two:bridged.example.com"}]"""));
            assertThat(bridges.requestsTo("one"))
                    .containsExactly("GET /thirdparty/user/ymca?field1=ONE&field2=TWO%20too");
            assertThat(alice.get(V3 + "/thirdparty/location/ymca?field3=THREE")
                            .expect(200)
                            .json())
                    .isEqualTo(json("""
                            [{"protocol": "ymca", "fields": {"field3": "result"}, "alias": "#remote:bridged.example.com"}]"""));
            assertThat(alice.get(V3 + "/thirdparty/location/unknown?field3=THREE")
                            .expect(200)
                            .json())
                    .isEqualTo(json("[]"));
            assertThat(bridges.requestsTo("other")).isEmpty();
            assertError(hs.anonymous().get(V3 + "/thirdparty/user/ymca"), 401, "M_MISSING_TOKEN");
        }
    }

    @Test
    void reverseLookupsAskEveryBridgeForTheMatrixId() {
        FakeBridges bridges = new FakeBridges(dir)
                .register("one", true, "ymca")
                .register("two", true, "irc")
                .register("plain", true);
        bridges.answer("one", "/thirdparty/user", 200, """
                [{"protocol": "ymca", "fields": {"name": "bob"}, "userid": "@one_bob:test.local"}]""");
        bridges.answer("two", "/thirdparty/location", 200, """
                [{"protocol": "irc", "fields": {"channel": "#chat"}, "alias": "#irc_chat:test.local"}]""");
        try (TestHomeserver hs = bridges.start()) {
            TestClient alice = hs.registerUser("alice");
            assertThat(alice.get(V3 + "/thirdparty/user?userid=%40one_bob%3Atest.local")
                            .expect(200)
                            .json())
                    .isEqualTo(json("""
                            [{"protocol": "ymca", "fields": {"name": "bob"}, "userid": "@one_bob:test.local"}]"""));
            assertThat(alice.get(V3 + "/thirdparty/location?alias=%23irc_chat%3Atest.local")
                            .expect(200)
                            .json())
                    .isEqualTo(json("""
                            [{"protocol": "irc", "fields": {"channel": "#chat"}, "alias": "#irc_chat:test.local"}]"""));
            assertThat(bridges.requestsTo("one"))
                    .containsExactly(
                            "GET /thirdparty/user?userid=%40one_bob%3Atest.local",
                            "GET /thirdparty/location?alias=%23irc_chat%3Atest.local");
            assertThat(bridges.requestsTo("plain")).isEmpty();
            assertError(alice.get(V3 + "/thirdparty/user"), 400, "M_MISSING_PARAM");
            assertError(alice.get(V3 + "/thirdparty/location?userid=x"), 400, "M_MISSING_PARAM");
        }
    }

    @Test
    void withoutApplicationServicesThereIsNoProtocol() {
        try (TestHomeserver hs = TestHomeserver.builder().start()) {
            TestClient alice = hs.registerUser("alice");
            assertThat(alice.get(V3 + "/thirdparty/protocols").expect(200).json())
                    .isEqualTo(json("{}"));
            assertError(alice.get(V3 + "/thirdparty/protocol/ymca"), 404, "M_NOT_FOUND");
            assertThat(alice.get(V3 + "/thirdparty/user/ymca?a=b").expect(200).json())
                    .isEqualTo(json("[]"));
            assertThat(alice.get(V3 + "/thirdparty/location?alias=%23a%3Ab")
                            .expect(200)
                            .json())
                    .isEqualTo(json("[]"));
        }
    }
}
