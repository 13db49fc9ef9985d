package dev.myelin.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterTest {

    private static Endpoint endpoint(HttpMethod method, String path) {
        return Endpoint.of(method, path, AuthRequirement.NONE, req -> MatrixResponse.ok());
    }

    @Test
    void duplicateMethodAndPathFailsAtRegistration() {
        Router router = new Router().register(endpoint(HttpMethod.GET, "/rooms/{roomId}/state"));

        assertThatThrownBy(() -> router.register(endpoint(HttpMethod.GET, "/rooms/{id}/state")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate route GET /rooms/{id}/state");
    }

    @Test
    void samePathWithAnotherMethodIsFine() {
        Router router = new Router()
                .register(endpoint(HttpMethod.GET, "/rooms/{roomId}/state"))
                .register(endpoint(HttpMethod.PUT, "/rooms/{roomId}/state"));

        assertThat(router.endpoints()).hasSize(2);
    }

    @Test
    void malformedTemplatesAreRejected() {
        assertThatThrownBy(() -> new Router().register(endpoint(HttpMethod.GET, "no/leading/slash")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().register(endpoint(HttpMethod.GET, "/a/{x}/{x}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().register(endpoint(HttpMethod.GET, "/a/b{x}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Router().register(endpoint(HttpMethod.OPTIONS, "/a")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void matchesOnRawSegmentsSoEncodedSlashDoesNotSplit() {
        Router router = new Router().register(endpoint(HttpMethod.GET, "/profile/{userId}"));

        assertThat(router.match(HttpMethod.GET, "/profile/%40a%2Fb%3Ahs")).isInstanceOf(Router.Match.Found.class);
        assertThat(((Router.Match.Found) router.match(HttpMethod.GET, "/profile/%40a%2Fb%3Ahs")).rawParams())
                .containsEntry("userId", "%40a%2Fb%3Ahs");
        assertThat(router.match(HttpMethod.GET, "/profile/a/b")).isInstanceOf(Router.Match.NotFound.class);
    }

    @Test
    void wrongMethodReportsAllowedMethods() {
        Router router =
                new Router().register(endpoint(HttpMethod.GET, "/x/{a}")).register(endpoint(HttpMethod.PUT, "/x/{b}"));

        assertThat(router.match(HttpMethod.DELETE, "/x/1"))
                .isEqualTo(new Router.Match.WrongMethod(java.util.EnumSet.of(HttpMethod.GET, HttpMethod.PUT)));
    }

    @Test
    void lessSpecificTemplateStillServesMethodTheSpecificOneLacks() {
        Router router = new Router()
                .register(endpoint(HttpMethod.GET, "/rooms/{roomId}/members"))
                .register(endpoint(HttpMethod.PUT, "/rooms/{roomId}/{thing}"));

        assertThat(router.match(HttpMethod.PUT, "/rooms/!r/members")).isInstanceOf(Router.Match.Found.class);
    }

    @Test
    void decodesSegmentsAsUtf8KeepingPlus() {
        assertThat(Router.decodeSegment("%40caf%C3%A9%2Fx+y")).contains("@café/x+y");
        assertThat(Router.decodeSegment("%C3%28")).isEmpty();
        assertThat(Router.decodeSegment("%4")).isEmpty();
    }

    @Test
    void headFallsBackToGetUnlessHeadIsRegistered() {
        Endpoint get = endpoint(HttpMethod.GET, "/a");
        Endpoint head = endpoint(HttpMethod.HEAD, "/b");
        Router router = new Router()
                .register(get)
                .register(head)
                .register(endpoint(HttpMethod.GET, "/b"))
                .register(endpoint(HttpMethod.POST, "/c"));

        assertThat(((Router.Match.Found) router.match(HttpMethod.HEAD, "/a")).endpoint())
                .isSameAs(get);
        assertThat(((Router.Match.Found) router.match(HttpMethod.HEAD, "/b")).endpoint())
                .isSameAs(head);
        assertThat(router.match(HttpMethod.HEAD, "/c")).isInstanceOf(Router.Match.WrongMethod.class);
    }

    @Test
    void tailParameterMatchesRestOfPathAndLosesToEveryOtherTemplate() {
        Endpoint files = endpoint(HttpMethod.GET, "/{file...}");
        Endpoint versions = endpoint(HttpMethod.GET, "/_matrix/client/versions");
        Router router = new Router().register(files).register(versions);

        assertThat(((Router.Match.Found) router.match(HttpMethod.GET, "/_matrix/client/versions")).endpoint())
                .isSameAs(versions);
        var found = (Router.Match.Found) router.match(HttpMethod.GET, "/css/site%20a.css");
        assertThat(found.endpoint()).isSameAs(files);
        assertThat(found.rawParams()).containsExactly(java.util.Map.entry("file", "css/site%20a.css"));
        assertThat(((Router.Match.Found) router.match(HttpMethod.GET, "/")).rawParams())
                .containsExactly(java.util.Map.entry("file", ""));
    }

    @Test
    void methodMissingOnTailRouteIsNotFoundRatherThanWrongMethod() {
        Router router = new Router().register(endpoint(HttpMethod.GET, "/static/{file...}"));

        assertThat(router.match(HttpMethod.POST, "/static/a.css")).isInstanceOf(Router.Match.NotFound.class);
        assertThat(router.match(HttpMethod.GET, "/static")).isInstanceOf(Router.Match.Found.class);
        assertThat(router.match(HttpMethod.GET, "/other")).isInstanceOf(Router.Match.NotFound.class);
    }

    @Test
    void tailMustBeLastAndTailShapesClash() {
        assertThatThrownBy(() -> new Router().register(endpoint(HttpMethod.GET, "/a/{rest...}/b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be the last segment");
        Router router = new Router().register(endpoint(HttpMethod.GET, "/a/{x...}"));
        assertThatThrownBy(() -> router.register(endpoint(HttpMethod.GET, "/a/{y...}")))
                .isInstanceOf(IllegalArgumentException.class);
        router.register(endpoint(HttpMethod.GET, "/a/{y}"));
    }

    @Test
    void servesAnAliasedPrefixAsItsTarget() {
        Router router = new Router();
        router.register(Endpoint.of(
                HttpMethod.GET,
                "/_matrix/client/v3/rooms/{roomId}/state",
                AuthRequirement.NONE,
                r -> MatrixResponse.ok()));
        router.aliasPrefix("/_matrix/client/r0/", "/_matrix/client/v3/");
        Router.Match match = router.match(HttpMethod.GET, "/_matrix/client/r0/rooms/%21a%3Ahs/state");
        assertThat(match).isInstanceOf(Router.Match.Found.class);
        assertThat(((Router.Match.Found) match).rawParams()).containsEntry("roomId", "%21a%3Ahs");
        assertThat(router.match(HttpMethod.POST, "/_matrix/client/r0/rooms/x/state"))
                .isInstanceOf(Router.Match.WrongMethod.class);
        assertThat(router.match(HttpMethod.GET, "/_matrix/client/r0/nothing"))
                .isInstanceOf(Router.Match.NotFound.class);
    }
}
