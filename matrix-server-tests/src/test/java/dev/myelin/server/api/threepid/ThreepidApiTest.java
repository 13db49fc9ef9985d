package dev.myelin.server.api.threepid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Email validation and the account's 3PIDs, against a homeserver with an {@code email} section
 * pointing at an SMTP server of the test: requestToken mails a link, the link validates, the
 * address is added, logs in, resets the password and is deleted; registration with {@code
 * registrations_require_3pid}; and the bad input of each step.
 */
class ThreepidApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String V3 = "/_matrix/client/v3";

    private TestSmtpServer smtp;
    private TestHomeserver hs;

    @BeforeEach
    void start() throws Exception {
        smtp = TestSmtpServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (hs != null) {
            hs.close();
        }
        smtp.close();
    }

    /** A homeserver mailing through the test's SMTP server, with {@code more} config keys. */
    static TestHomeserver withEmail(TestSmtpServer smtp, Map<String, String> more) {
        TestHomeserver.Builder builder = TestHomeserver.builder()
                .config(
                        "email",
                        "{smtp_host: '127.0.0.1', smtp_port: " + smtp.port()
                                + ", smtp_user: mailer, smtp_pass: hunter2,"
                                + " notif_from: 'Myelin <noreply@test.local>', app_name: Myelin,"
                                + " validation_token_lifetime: 10m}");
        more.forEach(builder::config);
        return builder.start();
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The path and query of a mailed link, which the test's in-memory client requests. */
    static String pathOf(String link) {
        return link.replaceFirst("^https?://[^/]+", "");
    }

    /** The query parameter {@code name} of a link. */
    static String param(String link, String name) {
        var m = java.util.regex.Pattern.compile("[?&]" + name + "=([^&]*)").matcher(link);
        assertThat(m.find()).as("%s in %s", name, link).isTrue();
        return java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void anEmailIsValidatedByMailAddedLoggedInWithResetAndDeleted() throws Exception {
        hs = withEmail(smtp, Map.of());
        TestClient alice = hs.registerUser("alice", "old-password");

        JsonNode token = alice.post(
                        V3 + "/account/3pid/email/requestToken",
                        json("{\"client_secret\":\"secret.1\",\"email\":\" Alice@Example.ORG \",\"send_attempt\":1}"))
                .expect(200)
                .json();
        String sid = token.path("sid").asText();
        assertThat(token).isEqualTo(json("{\"sid\":\"" + sid + "\"}"));
        TestSmtpServer.Mail mail = smtp.awaitMail();
        assertThat(mail.from()).isEqualTo("<noreply@test.local>");
        assertThat(mail.to()).containsExactly("<alice@example.org>");
        assertThat(mail.auth()).hasSize(1);
        assertThat(mail.data()).contains("Subject: [Myelin] Validate your email\r\n", "To: alice@example.org\r\n");
        String link = mail.link();
        assertThat(link).startsWith("http://test.local/_matrix/client/unstable/add_threepid/email/submit_token?token=");
        assertThat(param(link, "sid")).isEqualTo(sid);
        assertThat(param(link, "client_secret")).isEqualTo("secret.1");

        // the same attempt again sends nothing and answers the same session
        assertThat(alice.post(
                                V3 + "/account/3pid/email/requestToken",
                                json(
                                        "{\"client_secret\":\"secret.1\",\"email\":\"alice@example.org\",\"send_attempt\":1}"))
                        .expect(200)
                        .json())
                .isEqualTo(token);
        assertThat(smtp.noMail()).isTrue();

        // not validated yet
        ObjectNode add = json("{\"client_secret\":\"secret.1\",\"sid\":\"" + sid + "\"}");
        TestResponse challenge = alice.post(V3 + "/account/3pid/add", add);
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.json().path("flows")).isEqualTo(JSON.readTree("[{\"stages\":[\"m.login.password\"]}]"));
        add.set(
                "auth",
                passwordAuth(
                        "alice",
                        "old-password",
                        challenge.json().path("session").asText()));
        TestResponse early = alice.post(V3 + "/account/3pid/add", add);
        assertThat(early.status()).isEqualTo(400);
        assertThat(early.errcode()).isEqualTo("M_THREEPID_AUTH_FAILED");

        TestResponse wrongToken = alice.get(pathOf(link).replaceFirst("token=[^&]*", "token=wrong"));
        assertThat(wrongToken.status()).isEqualTo(400);
        assertThat(wrongToken.header("Content-Type")).startsWith("text/html");
        TestResponse page = alice.get(pathOf(link)).expect(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("Your email has been validated");

        long validatedAt = hs.clock().nowMillis();
        alice.post(V3 + "/account/3pid/add", add).expect(200);
        assertThat(alice.get(V3 + "/account/3pid").expect(200).json())
                .isEqualTo(json("{\"threepids\":[{\"medium\":\"email\",\"address\":\"alice@example.org\","
                        + "\"validated_at\":" + validatedAt + ",\"added_at\":" + validatedAt + "}]}"));

        // the address logs in, by identifier and by the legacy top-level fields
        TestClient anonymous = hs.anonymous();
        JsonNode login = anonymous
                .post(
                        V3 + "/login",
                        json(
                                "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.thirdparty\","
                                        + "\"medium\":\"email\",\"address\":\"ALICE@example.org\"},\"password\":\"old-password\"}"))
                .expect(200)
                .json();
        assertThat(login.path("user_id").asText()).isEqualTo(alice.userId());
        assertThat(anonymous
                        .post(
                                V3 + "/login",
                                json("{\"type\":\"m.login.password\",\"medium\":\"email\","
                                        + "\"address\":\"alice@example.org\",\"password\":\"old-password\"}"))
                        .expect(200)
                        .json()
                        .path("user_id")
                        .asText())
                .isEqualTo(alice.userId());
        for (String wrong : new String[] {
            "{\"type\":\"m.login.password\",\"medium\":\"email\",\"address\":\"alice@example.org\",\"password\":\"nope\"}",
            "{\"type\":\"m.login.password\",\"medium\":\"email\",\"address\":\"bob@example.org\",\"password\":\"old-password\"}"
        }) {
            TestResponse refused = anonymous.post(V3 + "/login", json(wrong));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        }
        TestResponse noMedium = anonymous.post(
                V3 + "/login",
                json("{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.thirdparty\",\"address\":\"a@b\"},"
                        + "\"password\":\"x\"}"));
        assertThat(noMedium.status()).isEqualTo(400);
        assertThat(noMedium.errcode()).isEqualTo("M_MISSING_PARAM");

        // the address is taken now
        for (String path : new String[] {"/register/email/requestToken", "/account/3pid/email/requestToken"}) {
            TestResponse taken = anonymous.post(
                    V3 + path,
                    json("{\"client_secret\":\"other\",\"email\":\"alice@example.org\",\"send_attempt\":1}"));
            assertThat(taken.status()).isEqualTo(400);
            assertThat(taken.json())
                    .isEqualTo(json("{\"errcode\":\"M_THREEPID_IN_USE\",\"error\":\"Email is already in use\"}"));
        }
        TestResponse unknown = anonymous.post(
                V3 + "/account/password/email/requestToken",
                json("{\"client_secret\":\"other\",\"email\":\"nobody@example.org\",\"send_attempt\":1}"));
        assertThat(unknown.json())
                .isEqualTo(json("{\"errcode\":\"M_THREEPID_NOT_FOUND\",\"error\":\"Email not found\"}"));

        // a password reset by email: the token comes back by POST this time
        String resetSid = anonymous
                .post(
                        V3 + "/account/password/email/requestToken",
                        json("{\"client_secret\":\"reset\",\"email\":\"alice@example.org\",\"send_attempt\":1,"
                                + "\"next_link\":\"https://app.example.org/done\"}"))
                .expect(200)
                .json()
                .path("sid")
                .asText();
        String resetLink = smtp.awaitMail().link();
        assertThat(resetLink).startsWith("http://test.local/_synapse/client/password_reset/email/submit_token?");
        ObjectNode reset = json("{\"new_password\":\"new-password\"}");
        TestResponse resetChallenge = anonymous.post(V3 + "/account/password", reset);
        assertThat(resetChallenge.status()).isEqualTo(401);
        assertThat(resetChallenge.json().path("flows"))
                .isEqualTo(JSON.readTree("[{\"stages\":[\"m.login.email.identity\"]}]"));
        ObjectNode emailAuth = json("{\"type\":\"m.login.email.identity\",\"threepid_creds\":{\"sid\":\"" + resetSid
                + "\",\"client_secret\":\"reset\"}}");
        emailAuth.put("session", resetChallenge.json().path("session").asText());
        reset.set("auth", emailAuth);
        TestResponse unvalidated = anonymous.post(V3 + "/account/password", reset);
        assertThat(unvalidated.status()).isEqualTo(401);
        assertThat(unvalidated.errcode()).isEqualTo("M_UNAUTHORIZED");
        TestResponse badSubmit = anonymous.post(
                "/_synapse/client/password_reset/email/submit_token",
                json("{\"sid\":\"" + resetSid + "\",\"client_secret\":\"reset\",\"token\":\"wrong\"}"));
        assertThat(badSubmit.status()).isEqualTo(400);
        assertThat(badSubmit.errcode()).isEqualTo("M_THREEPID_AUTH_FAILED");
        assertThat(anonymous
                        .post(
                                "/_synapse/client/password_reset/email/submit_token",
                                json("{\"sid\":\"" + resetSid + "\",\"client_secret\":\"reset\",\"token\":\""
                                        + param(resetLink, "token") + "\"}"))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"success\":true}"));
        // the browser's link now goes on to the client's next_link
        TestResponse redirect = anonymous.get(pathOf(resetLink));
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("https://app.example.org/done");
        anonymous.post(V3 + "/account/password", reset).expect(200);
        assertThat(alice.get(V3 + "/account/whoami").status()).isEqualTo(401);
        TestClient again = hs.login("alice", "new-password");

        // deleting the address: it no longer logs in
        assertThat(again.post(
                                V3 + "/account/3pid/delete",
                                json("{\"medium\":\"email\",\"address\":\"alice@example.org\"}"))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"id_server_unbind_result\":\"success\"}"));
        assertThat(again.get(V3 + "/account/3pid").expect(200).json()).isEqualTo(json("{\"threepids\":[]}"));
        assertThat(anonymous
                        .post(
                                V3 + "/login",
                                json("{\"type\":\"m.login.password\",\"medium\":\"email\","
                                        + "\"address\":\"alice@example.org\",\"password\":\"new-password\"}"))
                        .status())
                .isEqualTo(403);
    }

    static ObjectNode passwordAuth(String user, String password, String session) {
        ObjectNode auth = json(
                "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"" + user + "\"}}");
        auth.put("password", password).put("session", session);
        return auth;
    }

    @Test
    void registrationThatRequiresAnEmailAddsTheValidatedAddress() throws Exception {
        hs = withEmail(smtp, Map.of("registrations_require_3pid", "[email]"));
        TestClient anonymous = hs.anonymous();
        ObjectNode register = json("{\"username\":\"carol\",\"password\":\"carol-password\"}");
        TestResponse challenge = anonymous.post(V3 + "/register", register);
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.json().path("flows"))
                .isEqualTo(JSON.readTree("[{\"stages\":[\"m.login.email.identity\"]}]"));
        String session = challenge.json().path("session").asText();
        ObjectNode dummy = register.deepCopy();
        dummy.set("auth", json("{\"type\":\"m.login.dummy\",\"session\":\"" + session + "\"}"));
        assertThat(anonymous.post(V3 + "/register", dummy).status()).isEqualTo(401);

        String sid = anonymous
                .post(
                        V3 + "/register/email/requestToken",
                        json("{\"client_secret\":\"reg\",\"email\":\"carol@example.org\",\"send_attempt\":1}"))
                .expect(200)
                .json()
                .path("sid")
                .asText();
        String link = smtp.awaitMail().link();
        assertThat(link).startsWith("http://test.local/_synapse/client/registration/email/submit_token?");
        anonymous.get(pathOf(link)).expect(200);
        register.set(
                "auth",
                json("{\"type\":\"m.login.email.identity\",\"session\":\"" + session
                        + "\",\"threepid_creds\":{\"sid\":\"" + sid + "\",\"client_secret\":\"reg\"}}"));
        JsonNode registered =
                anonymous.post(V3 + "/register", register).expect(200).json();
        assertThat(registered.path("user_id").asText()).isEqualTo("@carol:test.local");
        TestClient carol = hs.login("carol", "carol-password");
        assertThat(carol.get(V3 + "/account/3pid").expect(200).json().path("threepids"))
                .singleElement()
                .satisfies(t -> assertThat(t.path("address").asText()).isEqualTo("carol@example.org"));
    }

    @Test
    void badRequestsAndExpiredTokensAreRefused() throws Exception {
        hs = withEmail(smtp, Map.of());
        TestClient anonymous = hs.anonymous();
        String path = V3 + "/account/3pid/email/requestToken";
        Map<String, String> bad = Map.of(
                "{\"email\":\"a@example.org\",\"send_attempt\":1}", "M_MISSING_PARAM",
                "{\"client_secret\":\"bad secret!\",\"email\":\"a@example.org\",\"send_attempt\":1}", "M_INVALID_PARAM",
                "{\"client_secret\":\"s\",\"send_attempt\":1}", "M_MISSING_PARAM",
                "{\"client_secret\":\"s\",\"email\":\"not-an-address\",\"send_attempt\":1}", "M_INVALID_PARAM",
                "{\"client_secret\":\"s\",\"email\":\"a@example.org\"}", "M_MISSING_PARAM",
                "{\"client_secret\":\"s\",\"email\":\"a@example.org\",\"send_attempt\":1,\"next_link\":\"javascript:x\"}",
                        "M_INVALID_PARAM",
                "{\"client_secret\":\"s\",\"email\":\"a@example.org\",\"send_attempt\":\"one\"}", "M_BAD_JSON");
        bad.forEach((body, errcode) -> {
            TestResponse refused = anonymous.post(path, json(body));
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.errcode()).as(body).isEqualTo(errcode);
        });
        assertThat(smtp.noMail()).isTrue();

        String sid = anonymous
                .post(path, json("{\"client_secret\":\"s\",\"email\":\"a@example.org\",\"send_attempt\":1}"))
                .expect(200)
                .json()
                .path("sid")
                .asText();
        String link = smtp.awaitMail().link();
        hs.clock().advance(Duration.ofMinutes(11));
        TestResponse expired = anonymous.post(
                "/_matrix/client/unstable/add_threepid/email/submit_token",
                json("{\"sid\":\"" + sid + "\",\"client_secret\":\"s\",\"token\":\"" + param(link, "token") + "\"}"));
        assertThat(expired.json())
                .isEqualTo(json("{\"errcode\":\"M_THREEPID_AUTH_FAILED\",\"error\":"
                        + "\"Validation token not found or has expired\"}"));
        TestResponse otherSecret = anonymous.post(
                "/_matrix/client/unstable/add_threepid/email/submit_token",
                json("{\"sid\":\"" + sid + "\",\"client_secret\":\"t\",\"token\":\"x\"}"));
        assertThat(otherSecret.errcode()).isEqualTo("M_THREEPID_AUTH_FAILED");
        // a NUL cannot be stored (PostgreSQL text holds none), so no session has one: not a 500
        TestResponse nul = anonymous.post(
                "/_synapse/client/password_reset/email/submit_token",
                json("{\"sid\":\"\\u0000\",\"client_secret\":\"s\",\"token\":\"x\"}"));
        assertThat(nul.status()).as(nul.body()).isEqualTo(400);
        assertThat(nul.errcode()).isEqualTo("M_THREEPID_AUTH_FAILED");
        TestResponse noToken = anonymous.get(
                "/_matrix/client/unstable/add_threepid/email/submit_token?sid=" + sid + "&client_secret=s");
        assertThat(noToken.json())
                .isEqualTo(json("{\"errcode\":\"M_MISSING_PARAM\",\"error\":\"Missing parameter: token\"}"));

        TestClient dave = hs.registerUser("dave");
        TestResponse legacy = dave.post(
                V3 + "/account/3pid", json("{\"three_pid_creds\":{\"sid\":\"" + sid + "\",\"client_secret\":\"s\"}}"));
        assertThat(legacy.errcode()).isEqualTo("M_THREEPID_AUTH_FAILED");
        assertThat(dave.post(V3 + "/account/3pid", json("{}")).errcode()).isEqualTo("M_MISSING_PARAM");
        TestResponse badMedium = dave.post(V3 + "/account/3pid/delete", json("{\"medium\":\"fax\",\"address\":\"1\"}"));
        assertThat(badMedium.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(hs.anonymous().get(V3 + "/account/3pid").status()).isEqualTo(401);
    }

    @Test
    void withoutAnEmailSectionTheEndpointsSaySoAndSmsIsNotOffered() throws Exception {
        hs = TestHomeserver.builder().start();
        TestClient anonymous = hs.anonymous();
        String body = "{\"client_secret\":\"s\",\"email\":\"a@example.org\",\"send_attempt\":1}";
        assertThat(anonymous
                        .post(V3 + "/register/email/requestToken", json(body))
                        .json())
                .isEqualTo(
                        json(
                                "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Email-based registration has been disabled on this server\"}"));
        assertThat(anonymous
                        .post(V3 + "/account/password/email/requestToken", json(body))
                        .json())
                .isEqualTo(json(
                        "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Password reset emails are disabled on this server\"}"));
        TestResponse add = anonymous.post(V3 + "/account/3pid/email/requestToken", json(body));
        assertThat(add.status()).isEqualTo(400);
        assertThat(add.json())
                .isEqualTo(json("{\"errcode\":\"M_THREEPID_MEDIUM_NOT_SUPPORTED\","
                        + "\"error\":\"Adding an email to your account is disabled on this server\"}"));
        String sms = "{\"client_secret\":\"s\",\"country\":\"GB\",\"phone_number\":\"07700900001\",\"send_attempt\":1}";
        assertThat(anonymous
                        .post(V3 + "/register/msisdn/requestToken", json(sms))
                        .errcode())
                .isEqualTo("M_UNKNOWN");
        assertThat(anonymous
                        .post(V3 + "/account/3pid/msisdn/requestToken", json(sms))
                        .json())
                .isEqualTo(json("{\"errcode\":\"M_THREEPID_MEDIUM_NOT_SUPPORTED\","
                        + "\"error\":\"Adding phone numbers to user account is not supported by this homeserver\"}"));
        // registration offers the dummy stage only, and a password reset needs a token
        TestResponse flows = anonymous.post(V3 + "/register", json("{\"username\":\"x\",\"password\":\"y\"}"));
        assertThat(flows.json().path("flows")).isEqualTo(JSON.readTree("[{\"stages\":[\"m.login.dummy\"]}]"));
        TestResponse reset = anonymous.post(V3 + "/account/password", json("{\"new_password\":\"z\"}"));
        assertThat(reset.status()).isEqualTo(401);
        assertThat(reset.errcode()).isEqualTo("M_MISSING_TOKEN");
    }
}
