package dev.myelin.server.api.media;

import static dev.myelin.server.api.media.MediaHttp.download;
import static dev.myelin.server.api.media.MediaHttp.get;
import static dev.myelin.server.api.media.MediaHttp.token;
import static dev.myelin.server.api.media.MediaHttp.upload;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.server.api.WhoisApiTest;
import dev.myelin.server.handler.media.MediaFiles;
import dev.myelin.server.handler.media.MediaId;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Synapse's media admin API: listing, quarantine, protection, information and deletion. */
@ExtendWith(HomeserverExtension.class)
class MediaAdminApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "/_synapse/admin/v1";

    @Test
    void adminsListAUsersUploadsInSynapsesShapeAndPages(TestHomeserver hs) throws Exception {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        long first = hs.clock().nowMillis();
        String a = upload(hs, alice, bytes("a"), "text/plain", "a.txt");
        hs.clock().advance(Duration.ofSeconds(1));
        String b = upload(hs, alice, bytes("bbb"), "image/png", null);
        hs.clock().advance(Duration.ofSeconds(1));
        String c = upload(hs, alice, bytes("cc"), "text/plain", "c.txt");

        String media = ADMIN + "/users/" + encode(alice.userId()) + "/media";
        JsonNode newestFirst = call(hs, admin, "GET", media, 200);
        assertThat(ids(newestFirst)).containsExactly(c, b, a);
        assertThat(newestFirst.path("total").asLong()).isEqualTo(3);
        assertThat(newestFirst.has("next_token")).isFalse();
        assertThat(newestFirst.path("media").get(2))
                .isEqualTo(JSON.readTree("{\"media_id\":\"" + a + "\",\"media_type\":\"text/plain\","
                        + "\"media_length\":1,\"upload_name\":\"a.txt\",\"created_ts\":" + first
                        + ",\"last_access_ts\":null,\"quarantined_by\":null,\"safe_from_quarantine\":false}"));
        assertThat(newestFirst.path("media").get(1).path("upload_name").isNull())
                .isTrue();

        // serving it records when, once per ten minutes
        assertThat(get(hs, download(hs, b), token(alice)).status()).isEqualTo(200);
        long servedAt = hs.clock().nowMillis();
        hs.clock().advance(Duration.ofMinutes(1));
        assertThat(get(hs, download(hs, b), token(alice)).status()).isEqualTo(200);
        assertThat(call(hs, admin, "GET", media, 200)
                        .path("media")
                        .get(1)
                        .path("last_access_ts")
                        .asLong())
                .isEqualTo(servedAt);

        JsonNode page = call(hs, admin, "GET", media + "?limit=2&order_by=media_length&dir=f", 200);
        assertThat(ids(page)).containsExactly(a, c);
        assertThat(page.path("next_token").asLong()).isEqualTo(2);
        assertThat(ids(call(hs, admin, "GET", media + "?from=2&limit=2&order_by=media_length", 200)))
                .containsExactly(b);

        assertError(hs, alice.accessToken().orElseThrow(), "GET", media, 403, "M_FORBIDDEN");
        assertError(hs, admin, "GET", media + "?order_by=colour", 400, "M_INVALID_PARAM");
        assertError(hs, admin, "GET", media + "?dir=up", 400, "M_INVALID_PARAM");
        assertError(hs, admin, "GET", media + "?limit=-1", 400, "M_INVALID_PARAM");
        assertError(hs, admin, "GET", media + "?from=x", 400, "M_INVALID_PARAM");
        assertError(
                hs,
                admin,
                "GET",
                ADMIN + "/users/" + encode("@nobody:" + hs.serverName()) + "/media",
                404,
                "M_NOT_FOUND");
        assertError(
                hs,
                admin,
                "GET",
                ADMIN + "/users/" + encode("@bob:elsewhere.example") + "/media",
                400,
                "M_INVALID_PARAM");
        assertError(hs, admin, "GET", ADMIN + "/users/not-a-user/media", 400, "M_INVALID_PARAM");
    }

    @Test
    void quarantinedMediaIsNotServedAndProtectedUploadsAreSparedByUserQuarantine(TestHomeserver hs) throws Exception {
        String admin = WhoisApiTest.registerAdmin(hs);
        String adminId = "@admin:" + hs.serverName();
        TestClient alice = hs.registerUser("alice");
        String sticker = upload(hs, alice, bytes("sticker"), "image/png", null);
        String photo = upload(hs, alice, bytes("photo"), "image/png", null);

        assertThat(call(hs, admin, "POST", ADMIN + "/media/protect/" + sticker, 200))
                .isEqualTo(NODES.objectNode());
        assertThat(call(hs, admin, "POST", ADMIN + "/user/" + encode(alice.userId()) + "/media/quarantine", 200))
                .isEqualTo(NODES.objectNode().put("num_quarantined", 1));
        assertThat(get(hs, download(hs, photo), token(alice)).status()).isEqualTo(404);
        assertThat(get(hs, download(hs, sticker), token(alice)).status()).isEqualTo(200);

        JsonNode info = call(hs, admin, "GET", ADMIN + "/media/" + hs.serverName() + "/" + photo, 200);
        assertThat(info.path("media_info").path("quarantined_by").asText()).isEqualTo(adminId);
        assertThat(info.path("media_info").path("user_id").asText()).isEqualTo(alice.userId());
        assertThat(info.path("media_info").path("media_origin").asText()).isEqualTo(hs.serverName());
        assertThat(info.path("media_info").path("media_length").asLong()).isEqualTo(5);
        assertThat(info.path("media_info").has("last_access_ts")).isTrue();

        call(hs, admin, "POST", ADMIN + "/media/unquarantine/" + hs.serverName() + "/" + photo, 200);
        assertThat(get(hs, download(hs, photo), token(alice)).status()).isEqualTo(200);
        // protection guards against room and user quarantine only, not one aimed at the media itself
        call(hs, admin, "POST", ADMIN + "/media/quarantine/" + hs.serverName() + "/" + sticker, 200);
        assertThat(get(hs, download(hs, sticker), token(alice)).status()).isEqualTo(404);
        call(hs, admin, "POST", ADMIN + "/media/unprotect/" + sticker, 200);
        assertThat(call(hs, admin, "GET", ADMIN + "/media/" + hs.serverName() + "/" + sticker, 200)
                        .path("media_info")
                        .path("safe_from_quarantine")
                        .asBoolean())
                .isFalse();

        assertError(
                hs,
                alice.accessToken().orElseThrow(),
                "POST",
                ADMIN + "/media/quarantine/" + hs.serverName() + "/" + photo,
                403,
                "M_FORBIDDEN");
        assertError(hs, admin, "POST", ADMIN + "/media/quarantine/" + hs.serverName() + "/unknown", 404, "M_NOT_FOUND");
        assertError(hs, admin, "POST", ADMIN + "/media/protect/unknown", 404, "M_NOT_FOUND");
        assertError(hs, admin, "GET", ADMIN + "/media/" + hs.serverName() + "/unknown", 404, "M_NOT_FOUND");
        assertError(hs, admin, "GET", ADMIN + "/media/elsewhere.example/unknown", 404, "M_NOT_FOUND");
    }

    @Test
    void aRoomsMediaIsListedAndQuarantinedTogether(TestHomeserver hs) throws Exception {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String image = upload(hs, alice, bytes("image"), "image/png", null);
        String thumb = upload(hs, alice, bytes("thumb"), "image/png", null);
        String room = alice.createRoom(NODES.objectNode());
        ObjectNode content = NODES.objectNode()
                .put("msgtype", "m.image")
                .put("body", "cat.png")
                .put("url", "mxc://" + hs.serverName() + "/" + image);
        content.putObject("info").put("thumbnail_url", "mxc://" + hs.serverName() + "/" + thumb);
        alice.sendEvent(room, "m.room.message", content);
        alice.sendEvent(
                room,
                "m.room.message",
                NODES.objectNode()
                        .put("msgtype", "m.file")
                        .put("body", "far away")
                        .put("url", "mxc://elsewhere.example/remoteid"));

        String roomPath = ADMIN + "/room/" + encode(room) + "/media";
        assertThat(call(hs, admin, "GET", roomPath, 200))
                .isEqualTo(JSON.readTree("{\"local\":[\"mxc://" + hs.serverName() + "/" + image + "\",\"mxc://"
                        + hs.serverName() + "/" + thumb + "\"],\"remote\":[\"mxc://elsewhere.example/remoteid\"]}"));
        // the remote media was never fetched, so there is no copy here to quarantine
        assertThat(call(hs, admin, "POST", roomPath + "/quarantine", 200)
                        .path("num_quarantined")
                        .asInt())
                .isEqualTo(2);
        assertThat(get(hs, download(hs, image), token(alice)).status()).isEqualTo(404);
        assertThat(get(hs, download(hs, thumb), token(alice)).status()).isEqualTo(404);

        assertError(
                hs,
                admin,
                "GET",
                ADMIN + "/room/" + encode("!unknown:" + hs.serverName()) + "/media",
                404,
                "M_NOT_FOUND");
        assertError(hs, admin, "GET", ADMIN + "/room/not-a-room/media", 400, "M_INVALID_PARAM");
        assertError(hs, alice.accessToken().orElseThrow(), "GET", roomPath, 403, "M_FORBIDDEN");
    }

    @Test
    void deletionRemovesRowsAndFiles(TestHomeserver hs) throws Exception {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        MediaFiles files = new MediaFiles(hs.homeserver().config().mediaStorePath());
        String one = upload(hs, alice, bytes("one"), "text/plain", null);
        Path oneFile = files.content(new MediaId(one));
        assertThat(oneFile).exists();

        assertThat(call(hs, admin, "DELETE", ADMIN + "/media/" + hs.serverName() + "/" + one, 200))
                .isEqualTo(JSON.readTree("{\"deleted_media\":[\"" + one + "\"],\"total\":1}"));
        assertThat(oneFile).doesNotExist();
        assertThat(get(hs, download(hs, one), token(alice)).status()).isEqualTo(404);
        assertError(hs, admin, "DELETE", ADMIN + "/media/" + hs.serverName() + "/" + one, 404, "M_NOT_FOUND");
        assertError(hs, admin, "DELETE", ADMIN + "/media/elsewhere.example/" + one, 400, "M_INVALID_PARAM");

        String old = upload(hs, alice, bytes("old"), "text/plain", null);
        String avatar = upload(hs, alice, bytes("avatar"), "image/png", null);
        alice.put(
                        "/_matrix/client/v3/profile/" + encode(alice.userId()) + "/avatar_url",
                        NODES.objectNode().put("avatar_url", "mxc://" + hs.serverName() + "/" + avatar))
                .expect(200);
        hs.clock().advance(Duration.ofHours(1));
        long cutoff = hs.clock().nowMillis();
        String recent = upload(hs, alice, bytes("recent"), "text/plain", null);

        assertThat(call(hs, admin, "POST", ADMIN + "/media/delete?before_ts=" + cutoff, 200))
                .isEqualTo(JSON.readTree("{\"deleted_media\":[\"" + old + "\"],\"total\":1}"));
        assertThat(files.content(new MediaId(old))).doesNotExist();
        assertThat(files.content(new MediaId(recent))).exists();
        assertThat(call(hs, admin, "POST", ADMIN + "/media/delete?before_ts=" + cutoff + "&keep_profiles=false", 200)
                        .path("deleted_media"))
                .isEqualTo(JSON.readTree("[\"" + avatar + "\"]"));
        assertError(hs, admin, "POST", ADMIN + "/media/delete", 400, "M_MISSING_PARAM");
        assertError(hs, admin, "POST", ADMIN + "/media/delete?before_ts=soon", 400, "M_INVALID_PARAM");
        assertError(hs, admin, "POST", ADMIN + "/media/delete?before_ts=1&keep_profiles=maybe", 400, "M_INVALID_PARAM");

        String media = ADMIN + "/users/" + encode(alice.userId()) + "/media";
        JsonNode deleted = call(hs, admin, "DELETE", media, 200);
        assertThat(deleted.path("deleted_media")).isEqualTo(JSON.readTree("[\"" + recent + "\"]"));
        assertThat(deleted.path("total").asInt()).isEqualTo(1);
        assertThat(files.content(new MediaId(recent))).doesNotExist();
        assertThat(call(hs, admin, "GET", media, 200).path("total").asInt()).isZero();
        assertError(hs, alice.accessToken().orElseThrow(), "DELETE", media, 403, "M_FORBIDDEN");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("media").forEach(m -> out.add(m.path("media_id").asText()));
        return out;
    }

    private static JsonNode call(TestHomeserver hs, String token, String method, String path, int status) {
        return request(hs, token, method, path).expect(status).json();
    }

    private static void assertError(
            TestHomeserver hs, String token, String method, String path, int status, String errcode) {
        TestResponse response = request(hs, token, method, path);
        assertThat(response.status()).as("%s %s", method, path).isEqualTo(status);
        assertThat(response.errcode()).as("%s %s", method, path).isEqualTo(errcode);
    }

    private static TestResponse request(TestHomeserver hs, String token, String method, String path) {
        return hs.request(method, path, method.equals("POST") ? NODES.objectNode() : null, token);
    }
}
