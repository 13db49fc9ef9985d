package dev.myelin.federation.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.time.ManualClock;
import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer's X-Matrix check with a {@code federation_domain_whitelist}: a request whose
 * origin is not on it gets 403 {@code M_FORBIDDEN} before any of its keys is looked up, however
 * its header is written; a whitelisted origin is verified as usual.
 */
class XMatrixServerAuthenticatorTest {
    private static final ServerName US = ServerName.parse("us.test");
    private static final ServerName ALLOWED = ServerName.parse("allowed.test");
    private static final ServerName OTHER = ServerName.parse("other.test");
    private static final SigningKey ALLOWED_KEY = SigningKey.fromSeed("a1", new byte[32]);
    private static final SigningKey OTHER_KEY = SigningKey.fromSeed("o1", new byte[32]);
    private static final String URI = "/_matrix/federation/v1/query/profile?user_id=%40a%3Aus.test";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T00:00:00Z"));
    private final List<ServerName> lookedUp = new CopyOnWriteArrayList<>();
    private final ServerKeyLookup keys = (server, keyId) -> {
        lookedUp.add(server);
        SigningKey key = server.equals(ALLOWED) ? ALLOWED_KEY : server.equals(OTHER) ? OTHER_KEY : null;
        return CompletableFuture.completedFuture(
                key != null && key.keyId().equals(keyId)
                        ? Optional.of(new ServerKey(key.verifyKey(), clock.nowMillis() + 60_000))
                        : Optional.empty());
    };
    private final RequestVerifier verifier = new RequestVerifier(US, keys, clock);

    /** A request as the HTTP layer hands it over: only what the authenticator reads. */
    private record Request(HttpMethod method, String uri, List<String> authorization, byte[] body)
            implements MatrixRequest {
        @Override
        public String requestId() {
            return "test";
        }

        @Override
        public String rawPath() {
            int q = uri.indexOf('?');
            return q < 0 ? uri : uri.substring(0, q);
        }

        @Override
        public Optional<String> rawQuery() {
            int q = uri.indexOf('?');
            return q < 0 ? Optional.empty() : Optional.of(uri.substring(q + 1));
        }

        @Override
        public Map<String, String> pathParams() {
            return Map.of();
        }

        @Override
        public String pathParam(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, List<String>> args() {
            return Map.of();
        }

        @Override
        public Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        @Override
        public List<String> headers(String name) {
            return name.equalsIgnoreCase("Authorization") ? authorization : List.of();
        }

        @Override
        public Optional<String> cookie(String name) {
            return Optional.empty();
        }

        @Override
        public OptionalLong contentLength() {
            return OptionalLong.of(body.length);
        }

        @Override
        public ObjectNode jsonObject() {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonNode json() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] bodyBytes() {
            return body;
        }

        @Override
        public InputStream bodyStream() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public String clientIp() {
            return "127.0.0.1";
        }

        @Override
        public Optional<String> accessToken() {
            return Optional.empty();
        }

        @Override
        public Optional<Requester> requester() {
            return Optional.empty();
        }
    }

    private static Request signedGet(ServerName origin, SigningKey key) {
        return new Request(HttpMethod.GET, URI, List.of(header(origin, key)), new byte[0]);
    }

    private static String header(ServerName origin, SigningKey key) {
        return new RequestSigner(origin, key).sign("GET", URI, US).format();
    }

    private XMatrixServerAuthenticator onlyAllowed() {
        return new XMatrixServerAuthenticator(verifier, FederationDomainWhitelist.only(Set.of(ALLOWED)));
    }

    private void assertDenied(XMatrixServerAuthenticator authenticator, Request request, String origin) {
        assertThatThrownBy(() -> authenticator.authenticate(request))
                .isInstanceOfSatisfying(MatrixException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.errcode()).isEqualTo(ErrorCode.FORBIDDEN);
                })
                .hasMessage("Federation denied with " + origin + ".");
        assertThat(lookedUp).as("no key is looked up for a denied origin").isEmpty();
    }

    @Test
    void aWhitelistedOriginIsVerifiedAndNamed() {
        assertThat(onlyAllowed().authenticate(signedGet(ALLOWED, ALLOWED_KEY))).isEqualTo(ALLOWED);
        assertThat(lookedUp).containsExactly(ALLOWED);
    }

    @Test
    void anOriginOffTheWhitelistIsForbiddenBeforeItsKeysAreLookedUp() {
        assertDenied(onlyAllowed(), signedGet(OTHER, OTHER_KEY), "other.test");
    }

    @Test
    void aDeniedOriginIsForbiddenEvenWithABadSignatureOrBody() {
        Request forged = new Request(HttpMethod.GET, URI, List.of(header(OTHER, ALLOWED_KEY)), new byte[0]);
        assertDenied(onlyAllowed(), forged, "other.test");
        Request notJson = new Request(
                HttpMethod.PUT, URI, List.of(header(OTHER, OTHER_KEY)), "not json".getBytes(StandardCharsets.UTF_8));
        assertDenied(onlyAllowed(), notJson, "other.test");
    }

    @Test
    void theSchemeIsMatchedWithoutCase() {
        String header = header(OTHER, OTHER_KEY).replaceFirst("^X-Matrix", "x-matrix");
        assertDenied(onlyAllowed(), new Request(HttpMethod.GET, URI, List.of(header), new byte[0]), "other.test");
    }

    @Test
    void aTabAfterTheSchemeDoesNotGetPastTheWhitelist() {
        // the verifier reads "X-Matrix<TAB>origin=..." as X-Matrix too, so the whitelist must
        String header = header(OTHER, OTHER_KEY).replaceFirst("^X-Matrix ", "X-Matrix\t");
        assertDenied(onlyAllowed(), new Request(HttpMethod.GET, URI, List.of(header), new byte[0]), "other.test");
    }

    @Test
    void leadingWhitespaceDoesNotGetPastTheWhitelist() {
        String header = " " + header(OTHER, OTHER_KEY);
        assertDenied(onlyAllowed(), new Request(HttpMethod.GET, URI, List.of(header), new byte[0]), "other.test");
    }

    @Test
    void aDeniedOriginAmongSeveralHeadersIsForbidden() {
        Request both = new Request(
                HttpMethod.GET, URI, List.of(header(ALLOWED, ALLOWED_KEY), header(OTHER, OTHER_KEY)), new byte[0]);
        assertDenied(onlyAllowed(), both, "other.test");
    }

    @Test
    void otherSchemesAndMalformedHeadersAreLeftToTheVerifier() {
        XMatrixServerAuthenticator authenticator = onlyAllowed();
        Request bearer = new Request(HttpMethod.GET, URI, List.of("Bearer abc"), new byte[0]);
        assertThatThrownBy(() -> authenticator.authenticate(bearer))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("Missing X-Matrix Authorization header");
        Request malformed = new Request(HttpMethod.GET, URI, List.of("X-Matrix origin=other.test"), new byte[0]);
        assertThatThrownBy(() -> authenticator.authenticate(malformed))
                .as("a header that cannot be read names no origin to deny")
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("key");
        Request xMatrixy = new Request(HttpMethod.GET, URI, List.of("X-Matrixfoo origin=other.test"), new byte[0]);
        assertThatThrownBy(() -> authenticator.authenticate(xMatrixy))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void anEmptyWhitelistForbidsEveryOrigin() {
        XMatrixServerAuthenticator nobody =
                new XMatrixServerAuthenticator(verifier, FederationDomainWhitelist.only(Set.of()));
        assertDenied(nobody, signedGet(ALLOWED, ALLOWED_KEY), "allowed.test");
    }

    @Test
    void withoutAWhitelistEveryOriginIsVerified() {
        XMatrixServerAuthenticator everyone = new XMatrixServerAuthenticator(verifier);
        assertThat(everyone.authenticate(signedGet(OTHER, OTHER_KEY))).isEqualTo(OTHER);
        assertThat(everyone.authenticate(signedGet(ALLOWED, ALLOWED_KEY))).isEqualTo(ALLOWED);
        assertThat(lookedUp).containsExactly(OTHER, ALLOWED);
    }

    @Test
    void aWhitelistedBodyIsVerifiedToo() {
        JsonNode body = CanonicalJson.parse("{\"a\":1}");
        String header = new RequestSigner(ALLOWED, ALLOWED_KEY)
                .sign("PUT", URI, US, Optional.of(body))
                .format();
        Request put = new Request(HttpMethod.PUT, URI, List.of(header), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(onlyAllowed().authenticate(put)).isEqualTo(ALLOWED);
    }
}
