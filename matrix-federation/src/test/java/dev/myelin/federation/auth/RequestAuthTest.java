package dev.myelin.federation.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.UnpaddedBase64;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.error.MatrixException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Signing a request with {@link RequestSigner} and checking it with {@link RequestVerifier}. */
class RequestAuthTest {
    /** The seed of the spec's cryptographic test vectors. */
    static final SigningKey KEY = SigningKey.fromSeed("key1", "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1");

    static final ServerName ORIGIN = ServerName.parse("origin.hs.example.com");
    static final ServerName DESTINATION = ServerName.parse("destination.hs.example.com");
    static final String URI = "/_matrix/federation/v1/send/1234?a=b%20c";
    static final JsonNode BODY = CanonicalJson.parse("{\"pdus\":[],\"edus\":[{\"edu_type\":\"m.typing\"}]}");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<SigningKeyId, ServerKey> originKeys =
            new HashMap<>(Map.of(KEY.keyId(), new ServerKey(KEY.verifyKey(), clock.nowMillis() + 60_000)));
    private final ServerKeyLookup lookup = (server, keyId) -> CompletableFuture.completedFuture(
            server.equals(ORIGIN) ? Optional.ofNullable(originKeys.get(keyId)) : Optional.empty());
    private final RequestVerifier verifier = new RequestVerifier(DESTINATION, lookup, clock);
    private final RequestSigner signer = new RequestSigner(ORIGIN, KEY);

    @Test
    void aSignedRequestVerifiesAndNamesItsOrigin() {
        String header = signer.sign("PUT", URI, DESTINATION, Optional.of(BODY)).format();

        RequestAuthResult result = verify("PUT", URI, List.of(header), Optional.of(BODY));

        assertThat(result).isEqualTo(RequestAuthResult.ok(ORIGIN));
        assertThat(result.originOrThrow()).isEqualTo(ORIGIN);
    }

    @Test
    void aRequestWithoutBodyVerifies() {
        String header = signer.sign("GET", "/_matrix/federation/v1/version", DESTINATION)
                .format();

        assertThat(verify("GET", "/_matrix/federation/v1/version", List.of(header), Optional.empty()))
                .isEqualTo(RequestAuthResult.ok(ORIGIN));
    }

    @Test
    void theSignatureCoversTheObjectOfStepOne() {
        ObjectNode stepOne = (ObjectNode) CanonicalJson.parse("{\"method\":\"PUT\",\"uri\":\"" + URI
                + "\",\"origin\":\"origin.hs.example.com\",\"destination\":\"destination.hs.example.com\"}");
        stepOne.set("content", BODY);

        XMatrixAuthorization header = signer.sign("PUT", URI, DESTINATION, Optional.of(BODY));

        assertThat(header.signature()).isEqualTo(JsonSigning.signature(stepOne, KEY));
        assertThat(header.key()).isEqualTo(SigningKeyId.ed25519("key1"));
    }

    @Test
    void aTamperedBodyUriMethodOrDestinationFails() {
        String header = signer.sign("PUT", URI, DESTINATION, Optional.of(BODY)).format();
        JsonNode otherBody = CanonicalJson.parse("{\"pdus\":[],\"edus\":[]}");

        assertRejected(verify("PUT", URI, List.of(header), Optional.of(otherBody)), "Invalid signature");
        assertRejected(verify("PUT", URI, List.of(header), Optional.empty()), "Invalid signature");
        assertRejected(verify("PUT", URI + "&x=1", List.of(header), Optional.of(BODY)), "Invalid signature");
        assertRejected(verify("POST", URI, List.of(header), Optional.of(BODY)), "Invalid signature");

        ServerName other = ServerName.parse("other.example.com");
        RequestVerifier both = new RequestVerifier(DESTINATION, java.util.Set.of(other), lookup, clock);
        String swapped = header.replace("destination.hs.example.com", "other.example.com");
        assertRejected(
                both.verify(new InboundRequest("PUT", URI, List.of(swapped), Optional.of(BODY)))
                        .join(),
                "Invalid signature");
    }

    @Test
    void aDestinationThatIsNotOursFailsEvenWhenSignedCorrectly() {
        String header =
                signer.sign("GET", "/x", ServerName.parse("elsewhere.example")).format();

        assertRejected(verify("GET", "/x", List.of(header), Optional.empty()), "Destination mismatch");
    }

    @Test
    void anotherOfOurNamesIsAnAcceptedDestination() {
        ServerName alias = ServerName.parse("alias.example");
        RequestVerifier both = new RequestVerifier(DESTINATION, java.util.Set.of(alias), lookup, clock);
        String header = signer.sign("GET", "/x", alias).format();

        assertThat(both.verify(new InboundRequest("GET", "/x", List.of(header), Optional.empty()))
                        .join())
                .isEqualTo(RequestAuthResult.ok(ORIGIN));
    }

    @Test
    void aHeaderWithoutDestinationIsCheckedAsIfItNamedUs() {
        ObjectNode signedAsOlderServersDo = (ObjectNode)
                CanonicalJson.parse("{\"method\":\"GET\",\"uri\":\"/x\",\"origin\":\"origin.hs.example.com\","
                        + "\"destination\":\"destination.hs.example.com\"}");
        String header = new XMatrixAuthorization(
                        ORIGIN, Optional.empty(), KEY.keyId(), JsonSigning.signature(signedAsOlderServersDo, KEY))
                .format();

        assertThat(verify("GET", "/x", List.of(header), Optional.empty())).isEqualTo(RequestAuthResult.ok(ORIGIN));
    }

    @Test
    void aSignatureByAnotherKeyFails() {
        SigningKey impostor = SigningKey.fromSeed("key1", new byte[32]);
        String header = new RequestSigner(ORIGIN, impostor)
                .sign("GET", "/x", DESTINATION)
                .format();

        assertRejected(verify("GET", "/x", List.of(header), Optional.empty()), "Invalid signature");
    }

    @Test
    void anUnknownKeyFails() {
        SigningKey unknown = SigningKey.fromSeed("key2", new byte[32]);
        String header = new RequestSigner(ORIGIN, unknown)
                .sign("GET", "/x", DESTINATION)
                .format();

        assertRejected(verify("GET", "/x", List.of(header), Optional.empty()), "Failed to find");
    }

    @Test
    void aKeyPastItsValidityFails() {
        String header = signer.sign("GET", "/x", DESTINATION).format();
        clock.advance(Duration.ofMinutes(2));

        assertRejected(verify("GET", "/x", List.of(header), Optional.empty()), "no longer valid");
    }

    @Test
    void aFailingKeyLookupIsARejectionNotAnError() {
        RequestVerifier failing = new RequestVerifier(
                DESTINATION,
                (server, keyId) -> CompletableFuture.failedFuture(new IllegalStateException("notary unreachable")),
                clock);
        RequestVerifier throwing = new RequestVerifier(
                DESTINATION,
                (server, keyId) -> {
                    throw new IllegalStateException("lookup broke");
                },
                clock);
        String header = signer.sign("GET", "/x", DESTINATION).format();
        InboundRequest request = new InboundRequest("GET", "/x", List.of(header), Optional.empty());

        assertRejected(failing.verify(request).join(), "notary unreachable");
        assertRejected(throwing.verify(request).join(), "lookup broke");
    }

    @Test
    void missingOrMalformedHeadersFailWithTheReason() {
        assertRejected(verify("GET", "/x", List.of(), Optional.empty()), "Missing X-Matrix Authorization header");
        assertRejected(verify("GET", "/x", List.of("Bearer abc"), Optional.empty()), "Missing X-Matrix");
        assertRejected(
                verify("GET", "/x", List.of("X-Matrix origin=\"origin.hs.example.com\",sig=\"x\""), Optional.empty()),
                "has no key");
        assertRejected(
                verify(
                        "GET",
                        "/x",
                        List.of("X-Matrix origin=\"origin.hs.example.com\",key=\"ed25519:key1\",sig=\"!!\""),
                        Optional.empty()),
                "not valid base64");
        assertRejected(
                verify("GET", "/x", List.of("X-Matrix origin=\"a"), Optional.empty()), "unterminated quoted value");
    }

    /** proves: a missing header is 401, a header that cannot be read (an origin with a non-numeric port) 400, both M_UNAUTHORIZED. */
    @Test
    void anUnreadableHeaderIs400AndAMissingOne401() {
        RequestAuthResult missing = verify("GET", "/x", List.of(), Optional.empty());
        RequestAuthResult badOrigin = verify(
                "GET",
                "/x",
                List.of("X-Matrix origin=\"localhost:http\",key=\"ed25519:1\",sig=\"abc\""),
                Optional.empty());

        assertThat(missing).isInstanceOfSatisfying(RequestAuthResult.Rejected.class, r -> {
            assertThat(r.toException().status()).isEqualTo(401);
            assertThat(r.toException().errcode().value()).isEqualTo("M_UNAUTHORIZED");
        });
        assertThat(badOrigin).isInstanceOfSatisfying(RequestAuthResult.Rejected.class, r -> {
            assertThat(r.toException().status()).isEqualTo(400);
            assertThat(r.toException().errcode().value()).isEqualTo("M_UNAUTHORIZED");
        });
    }

    @Test
    void otherSchemesBesideAnXMatrixHeaderAreIgnored() {
        String header = signer.sign("GET", "/x", DESTINATION).format();

        assertThat(verify("GET", "/x", List.of("Bearer abc", header), Optional.empty()))
                .isEqualTo(RequestAuthResult.ok(ORIGIN));
    }

    @Test
    void severalHeadersMustShareOneOriginAndAllKnownSignaturesMustHold() {
        SigningKey second = SigningKey.fromSeed("key2", new byte[32]);
        originKeys.put(second.keyId(), ServerKey.unexpiring(second.verifyKey()));
        String first = signer.sign("GET", "/x", DESTINATION).format();
        String byKey2 =
                new RequestSigner(ORIGIN, second).sign("GET", "/x", DESTINATION).format();
        String unknownKey = new RequestSigner(ORIGIN, SigningKey.fromSeed("key3", new byte[32]))
                .sign("GET", "/x", DESTINATION)
                .format();
        String badByKey2 =
                new RequestSigner(ORIGIN, second).sign("GET", "/y", DESTINATION).format();
        String fromElsewhere = new RequestSigner(ServerName.parse("else.example"), KEY)
                .sign("GET", "/x", DESTINATION)
                .format();

        assertThat(verify("GET", "/x", List.of(first, byKey2), Optional.empty()))
                .isEqualTo(RequestAuthResult.ok(ORIGIN));
        assertThat(verify("GET", "/x", List.of(unknownKey, first), Optional.empty()))
                .isEqualTo(RequestAuthResult.ok(ORIGIN));
        assertRejected(verify("GET", "/x", List.of(first, badByKey2), Optional.empty()), "Invalid signature");
        assertRejected(verify("GET", "/x", List.of(first, fromElsewhere), Optional.empty()), "more than one origin");
    }

    @Test
    void aBodyWithFloatsVerifiesOverTheNumbersAsSent() {
        JsonNode withFloats = CanonicalJson.parse("{\"pdus\":[{\"x\":1.10,\"big\":9007199254740993}]}");
        ObjectNode signed = RequestJson.of("PUT", URI, ORIGIN, Optional.of(DESTINATION), Optional.of(withFloats));
        String signature = UnpaddedBase64.encode(KEY.sign(CanonicalJson.encodeLenient(signed)));
        String header = new XMatrixAuthorization(ORIGIN, Optional.of(DESTINATION), KEY.keyId(), signature).format();

        assertThat(new String(CanonicalJson.encodeLenient(withFloats), StandardCharsets.UTF_8))
                .isEqualTo("{\"pdus\":[{\"big\":9007199254740993,\"x\":1.1}]}");
        assertThat(verify("PUT", URI, List.of(header), Optional.of(withFloats)))
                .isEqualTo(RequestAuthResult.ok(ORIGIN));
        JsonNode changed = CanonicalJson.parse("{\"pdus\":[{\"x\":1.2,\"big\":9007199254740993}]}");
        assertRejected(verify("PUT", URI, List.of(header), Optional.of(changed)), "Invalid signature");
    }

    @Test
    void aRejectionIs401Unauthorized() {
        RequestAuthResult result = verify("GET", "/x", List.of(), Optional.empty());

        assertThatThrownBy(result::originOrThrow).isInstanceOfSatisfying(MatrixException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.errcode().value()).isEqualTo("M_UNAUTHORIZED");
            assertThat(e.getMessage()).isEqualTo("Missing X-Matrix Authorization header");
        });
    }

    private RequestAuthResult verify(String method, String uri, List<String> headers, Optional<JsonNode> body) {
        return verifier.verify(new InboundRequest(method, uri, headers, body)).join();
    }

    private static void assertRejected(RequestAuthResult result, String reason) {
        assertThat(result)
                .isInstanceOfSatisfying(
                        RequestAuthResult.Rejected.class,
                        r -> assertThat(r.reason()).contains(reason));
    }
}
