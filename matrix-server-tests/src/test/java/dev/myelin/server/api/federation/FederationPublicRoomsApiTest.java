package dev.myelin.server.api.federation;

import static dev.myelin.server.api.federation.RoomReadsFixture.client;
import static dev.myelin.server.api.federation.RoomReadsFixture.signed;
import static dev.myelin.server.api.federation.RoomReadsFixture.signedGet;
import static dev.myelin.server.api.federation.RoomReadsFixture.trustRemote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.PublicRoomsRequest;
import dev.myelin.federation.api.PublicRoomsResponse;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET} and {@code POST /_matrix/federation/v1/publicRooms}: the published room directory for
 * other servers, closed unless {@code allow_public_rooms_over_federation} is true, and then the
 * list clients see without the rooms other servers could not join ({@code "m.federate": false}).
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
@OverrideConfig(key = "rc_federation", value = "{sleep_limit: 1000, reject_limit: 1000}")
class FederationPublicRoomsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PATH = "/_matrix/federation/v1/publicRooms";

    private static String publishedRoom(TestClient creator, String name, boolean federate) {
        ObjectNode body = NODES.objectNode().put("visibility", "public").put("preset", "public_chat");
        body.put("name", name);
        if (!federate) {
            body.putObject("creation_content").put("m.federate", false);
        }
        return creator.createRoom(body);
    }

    private static List<String> roomIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("chunk").forEach(room -> ids.add(room.path("room_id").asText()));
        return ids;
    }

    private static void expectError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).isEqualTo(errcode);
    }

    @Test
    void theDirectoryIsClosedToOtherServersByDefault(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        publishedRoom(alice, "Cats", true);

        TestResponse get = signedGet(hs, PATH);
        expectError(get, 403, "M_FORBIDDEN");
        assertThat(get.json().path("error").asText()).isEqualTo("Federation denied with 127.0.0.1:1.");
        expectError(signed(hs, "POST", PATH, NODES.objectNode()), 403, "M_FORBIDDEN");
        expectError(hs.anonymous().get(PATH), 401, "M_UNAUTHORIZED");
    }

    @Test
    @OverrideConfig(key = "allow_public_rooms_over_federation", value = "true")
    void whenAllowedOtherServersGetTheClientsListOfRoomsTheyCouldJoin(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String cats = publishedRoom(alice, "Cats", true);
        String dogs = publishedRoom(alice, "Dogs", true);
        String local = publishedRoom(alice, "Local only", false);
        alice.createRoom(NODES.objectNode().put("name", "Not published"));

        JsonNode page = signedGet(hs, PATH).expect(200).json();

        assertThat(roomIds(page)).containsExactlyInAnyOrder(cats, dogs);
        assertThat(page.path("total_room_count_estimate").asLong()).isEqualTo(2);
        JsonNode clientPage =
                alice.get("/_matrix/client/v3/publicRooms").expect(200).json();
        List<JsonNode> clientChunk = new ArrayList<>();
        clientPage.path("chunk").forEach(room -> {
            if (!room.path("room_id").asText().equals(local)) {
                clientChunk.add(room);
            }
        });
        List<JsonNode> chunk = new ArrayList<>();
        page.path("chunk").forEach(chunk::add);
        assertThat(chunk).as("the same entries clients see").isEqualTo(clientChunk);
        JsonNode catsEntry = chunk.stream()
                .filter(r -> r.path("room_id").asText().equals(cats))
                .findFirst()
                .orElseThrow();
        assertThat(catsEntry.path("name").asText()).isEqualTo("Cats");
        assertThat(catsEntry.path("num_joined_members").asLong()).isEqualTo(1);
        assertThat(catsEntry.path("join_rule").asText()).isEqualTo("public");

        PublicRoomsResponse typed =
                client(hs).send(ServerName.parse(hs.serverName()), EndpointCall.of(FederationEndpoints.PUBLIC_ROOMS));
        assertThat(typed.chunk()).hasSize(2);
        assertThat(typed.totalRoomCountEstimate()).isEqualTo(2);
    }

    @Test
    @OverrideConfig(key = "allow_public_rooms_over_federation", value = "true")
    void pagesSearchesAndNetworks(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String cats = publishedRoom(alice, "Cats", true);
        String dogs = publishedRoom(alice, "Dogs", true);

        JsonNode first = signedGet(hs, PATH + "?limit=1").expect(200).json();
        assertThat(roomIds(first)).hasSize(1);
        String next = first.path("next_batch").asText();
        assertThat(next).isNotEmpty();
        JsonNode second = signedGet(hs, PATH + "?limit=1&since=" + TestClient.encode(next))
                .expect(200)
                .json();
        assertThat(roomIds(second)).hasSize(1).doesNotContainAnyElementsOf(roomIds(first));
        assertThat(roomIds(signedGet(hs, PATH + "?limit=0").expect(200).json()))
                .as("0 is no limit")
                .containsExactlyInAnyOrder(cats, dogs);
        assertThat(roomIds(signedGet(hs, PATH + "?include_all_networks=true")
                        .expect(200)
                        .json()))
                .containsExactlyInAnyOrder(cats, dogs);
        JsonNode otherNetwork = signedGet(hs, PATH + "?third_party_instance_id=irc%7Clibera")
                .expect(200)
                .json();
        assertThat(roomIds(otherNetwork))
                .as("no room is published under a third-party network")
                .isEmpty();
        assertThat(otherNetwork.path("total_room_count_estimate").asLong()).isZero();

        ObjectNode search = NODES.objectNode();
        search.putObject("filter").put("generic_search_term", "cat");
        assertThat(roomIds(signed(hs, "POST", PATH, search).expect(200).json())).containsExactly(cats);
        PublicRoomsResponse typed = client(hs)
                .send(
                        ServerName.parse(hs.serverName()),
                        EndpointCall.of(
                                FederationEndpoints.SEARCH_PUBLIC_ROOMS,
                                new PublicRoomsRequest(
                                        1L, null, NODES.objectNode().put("generic_search_term", "dog"), true, null)));
        assertThat(typed.chunk()).hasSize(1);
        assertThat(typed.chunk().getFirst().path("room_id").asText()).isEqualTo(dogs);
    }

    @Test
    @OverrideConfig(key = "allow_public_rooms_over_federation", value = "true")
    void badDirectoryRequestsGetMatrixErrors(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        publishedRoom(alice, "Cats", true);

        expectError(signedGet(hs, PATH + "?limit=-1"), 400, "M_INVALID_PARAM");
        expectError(signedGet(hs, PATH + "?limit=many"), 400, "M_INVALID_PARAM");
        expectError(signedGet(hs, PATH + "?include_all_networks=maybe"), 400, "M_INVALID_PARAM");
        expectError(signedGet(hs, PATH + "?since=garbage"), 400, "M_INVALID_PARAM");
        expectError(
                signed(
                        hs,
                        "POST",
                        PATH,
                        NODES.objectNode().put("include_all_networks", true).put("third_party_instance_id", "irc|x")),
                400,
                "M_INVALID_PARAM");
        expectError(signed(hs, "POST", PATH, NODES.objectNode().put("limit", -5)), 400, "M_INVALID_PARAM");
        expectError(signed(hs, "POST", PATH, NODES.objectNode().put("limit", "ten")), 400, "M_BAD_JSON");
        expectError(signed(hs, "POST", PATH, NODES.objectNode().put("filter", 5)), 400, "M_BAD_JSON");
        expectError(signed(hs, "POST", PATH, NODES.objectNode().put("since", "nope")), 400, "M_INVALID_PARAM");
    }
}
