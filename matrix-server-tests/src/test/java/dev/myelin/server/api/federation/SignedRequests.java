package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.UnpaddedBase64;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.auth.XMatrixAuthorization;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Requests to a test homeserver signed as another server, {@link #REMOTE}, whose key the
 * homeserver is first told with {@link #trustRemote}.
 */
final class SignedRequests {
    /** An IP literal with a port nothing listens on: a fetch of its keys fails at once, without DNS. */
    static final ServerName REMOTE = ServerName.parse("127.0.0.1:1");

    private static final SigningKey REMOTE_KEY = SigningKey.generate("r1");

    private SignedRequests() {}

    /** {@link #REMOTE}'s signing key, for events a test makes as that server. */
    static SigningKey remoteKey() {
        return REMOTE_KEY;
    }

    /** Stores {@link #REMOTE}'s key in {@code hs}, valid for an hour, as if fetched. */
    static void trustRemote(TestHomeserver hs) {
        trustRemote(hs, Duration.ofHours(1));
    }

    /** Stores {@link #REMOTE}'s key in {@code hs}, valid for {@code validFor}, as if fetched. */
    static void trustRemote(TestHomeserver hs, Duration validFor) {
        long now = hs.time().nowMillis();
        ServerKeys keys = new ServerKeys(
                REMOTE, Map.of(REMOTE_KEY.keyId(), REMOTE_KEY.verifyKey()), Map.of(), now + validFor.toMillis());
        hs.homeserver().testSeam().rememberServerKeys(JsonSigning.sign(keys.toJson(), REMOTE, REMOTE_KEY), now);
    }

    /**
     * {@code method uri} with {@code body}, signed by {@link #REMOTE} over the body as it is, floats
     * and out-of-range integers included, as a server sending an invalid event signs its request.
     */
    static TestResponse signedAsSent(TestHomeserver hs, String method, String uri, ObjectNode body) {
        ServerName destination = ServerName.parse(hs.serverName());
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("method", method).put("uri", uri).put("origin", REMOTE.toString());
        request.put("destination", destination.toString()).set("content", body);
        String signature = UnpaddedBase64.encode(REMOTE_KEY.sign(CanonicalJson.encodeLenient(request)));
        String header =
                new XMatrixAuthorization(REMOTE, Optional.of(destination), REMOTE_KEY.keyId(), signature).format();
        return hs.request(method, uri, body, List.of(Map.entry("Authorization", header)));
    }

    /** {@code method uri} with {@code body} (or none), signed by {@link #REMOTE}. */
    static TestResponse signed(TestHomeserver hs, String method, String uri, ObjectNode body) {
        String header = new RequestSigner(REMOTE, REMOTE_KEY)
                .sign(method, uri, ServerName.parse(hs.serverName()), Optional.ofNullable(body))
                .format();
        return hs.request(method, uri, body, List.of(Map.entry("Authorization", header)));
    }
}
