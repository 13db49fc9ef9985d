package dev.myelin.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.time.SystemClock;
import dev.myelin.federation.auth.InboundRequest;
import dev.myelin.federation.auth.RequestAuthResult;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.auth.RequestVerifier;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU cost X-Matrix authentication adds to one federation request with a 1 KB JSON body (a
 * small transaction): signing it on the way out, and checking it on the way in with the origin's
 * key already known, so neither side waits on anything.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class XMatrixSigningBenchmark {
    private static final ServerName ORIGIN = ServerName.parse("origin.example.org");
    private static final ServerName DESTINATION = ServerName.parse("destination.example.org");
    private static final String URI = "/_matrix/federation/v1/send/1700000000000";

    private RequestSigner signer;
    private RequestVerifier verifier;
    private JsonNode body;
    private String header;

    @Setup
    public void setUp() {
        SigningKey key = SigningKey.fromSeed("bench", new byte[32]);
        signer = new RequestSigner(ORIGIN, key);
        CompletableFuture<Optional<ServerKey>> known =
                CompletableFuture.completedFuture(Optional.of(ServerKey.unexpiring(key.verifyKey())));
        verifier = new RequestVerifier(DESTINATION, (server, keyId) -> known, SystemClock.INSTANCE);
        body = transactionOfAboutOneKilobyte();
        header = signer.sign("PUT", URI, DESTINATION, Optional.of(body)).format();
    }

    @Benchmark
    public String sign() {
        return signer.sign("PUT", URI, DESTINATION, Optional.of(body)).format();
    }

    @Benchmark
    public RequestAuthResult verify() {
        return verifier.verify(new InboundRequest("PUT", URI, List.of(header), Optional.of(body)))
                .join();
    }

    /** A transaction with one EDU whose content pads the canonical body to 1024 bytes. */
    static JsonNode transactionOfAboutOneKilobyte() {
        ObjectNode txn = JsonNodeFactory.instance.objectNode();
        txn.put("origin", ORIGIN.value());
        txn.put("origin_server_ts", 1_700_000_000_000L);
        txn.putArray("pdus");
        ObjectNode edu = txn.putArray("edus").addObject();
        edu.put("edu_type", "m.typing");
        ObjectNode content = edu.putObject("content");
        content.put("room_id", "!room:origin.example.org");
        content.put("user_id", "@alice:origin.example.org");
        content.put("typing", true);
        int size = CanonicalJson.encode(txn).length;
        content.put("padding", "x".repeat(Math.max(0, 1024 - size - "\"padding\":\"\",".length())));
        return txn;
    }
}
