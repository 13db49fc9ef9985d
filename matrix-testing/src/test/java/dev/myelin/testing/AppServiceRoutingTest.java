package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.testing.appservice.AppServiceRegistration;
import dev.myelin.testing.appservice.TestAppService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each request goes to the service whose url it lies under, as that service's server would see it. */
class AppServiceRoutingTest {
    private final TestAppService irc = TestAppService.of(AppServiceRegistration.builder("irc")
                    .senderLocalpart("ircbot")
                    .hsToken("hs-irc")
                    .asToken("as-irc")
                    .build())
            .answerUserQuery(id -> true);
    private final TestAppService slack = TestAppService.of(AppServiceRegistration.builder("slack")
                    .senderLocalpart("slackbot")
                    .url("http://127.0.0.1:9000/bridges/slack/")
                    .hsToken("hs-slack")
                    .asToken("as-slack")
                    .build())
            .answerUserQuery(id -> true);
    private final AppServiceRouting routing = new AppServiceRouting(List.of(irc, slack));

    @Test
    void deliversToTheServiceUnderWhoseUrlTheRequestLies() {
        assertThat(routing.send(get("http://irc.appservice.test/_matrix/app/v1/users/%40irc_a%3At", "hs-irc"))
                        .status())
                .isEqualTo(200);
        // a url with a path is a service behind a prefix: the service sees the path without it
        assertThat(routing.send(get(
                                "http://127.0.0.1:9000/bridges/slack/_matrix/app/v1/users/%40slack_b%3At", "hs-slack"))
                        .status())
                .isEqualTo(200);
        assertThat(irc.userQueries()).containsExactly("@irc_a:t");
        assertThat(slack.userQueries()).containsExactly("@slack_b:t");
        // each service checks its own hs_token
        assertThat(routing.send(get("http://irc.appservice.test/_matrix/app/v1/users/%40x%3At", "hs-slack"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aUrlNoServiceClaimsIsUnreachable() {
        assertThatThrownBy(() -> routing.send(get("http://elsewhere.test/_matrix/app/v1/ping", "hs-irc")))
                .isInstanceOf(OutboundHttpException.class)
                .hasMessageContaining("http://elsewhere.test/");
        assertThatThrownBy(() -> routing.send(get("http://127.0.0.1:9000/bridges/slackish/_matrix/app/v1/ping", "x")))
                .isInstanceOf(OutboundHttpException.class);
        irc.goOffline();
        assertThatThrownBy(() -> routing.send(put("http://irc.appservice.test/_matrix/app/v1/transactions/1")))
                .isInstanceOf(OutboundHttpException.class)
                .hasMessageContaining("offline");
        irc.goOnline();
        assertThat(routing.send(put("http://irc.appservice.test/_matrix/app/v1/transactions/1"))
                        .status())
                .isEqualTo(200);
        assertThat(irc.transactions()).hasSize(1);
    }

    private static OutboundRequest get(String uri, String token) {
        return new OutboundRequest(
                "GET", URI.create(uri), Map.of("Authorization", List.of("Bearer " + token)), Optional.empty());
    }

    private static OutboundRequest put(String uri) {
        return new OutboundRequest(
                "PUT",
                URI.create(uri),
                Map.of("Authorization", List.of("Bearer hs-irc")),
                Optional.of(new OutboundRequest.Body(
                        "application/json", "{\"events\":[]}".getBytes(StandardCharsets.UTF_8))));
    }
}
