package dev.myelin.federation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.backoff.DestinationBackoff;
import dev.myelin.federation.backoff.FederationRetryConfig;
import dev.myelin.federation.backoff.RetryJitter;
import dev.myelin.federation.backoff.RetryTimingsRepository;
import dev.myelin.federation.discovery.DiscoveryStep;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Requests someone waits for mind the destination's backoff, unless told to ignore it. */
class FederationClientBackoffTest {
    private static final ServerName ORIGIN = ServerName.parse("origin.test");
    private static final ServerName REMOTE = ServerName.parse("remote.test");

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean up = new AtomicBoolean(false);
    private final DestinationBackoff backoff = new DestinationBackoff(
            FederationRetryConfig.DEFAULT, clock, RetryTimingsRepository.inMemory(), RetryJitter.NONE);
    private final FederationClient client = new FederationClient(
                    new RequestSigner(ORIGIN, SigningKey.generate("k")),
                    name -> new ResolvedDestination(
                            name,
                            DiscoveryStep.EXPLICIT_PORT,
                            Optional.empty(),
                            List.of(new ResolvedDestination.Target("127.0.0.1", 8448)),
                            name.toString(),
                            name.host()),
                    (request, connectHost) -> {
                        sent.incrementAndGet();
                        if (!up.get()) {
                            throw new OutboundHttpException("connection refused", null);
                        }
                        return new OutboundResponse(200, Map.of(), "{}".getBytes());
                    })
            .withBackoff(backoff);

    @Test
    void aDestinationInBackoffIsNotContactedUntilItsIntervalHasPassed() {
        assertThatThrownBy(this::get).isInstanceOf(FederationUnreachableException.class);
        assertThat(sent).hasValue(1);

        up.set(true);
        assertThatThrownBy(this::get)
                .isInstanceOf(FederationUnreachableException.class)
                .hasMessageContaining("not retrying");
        assertThat(sent).as("not contacted while in backoff").hasValue(1);

        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(get().status()).isEqualTo(200);
        assertThat(sent).hasValue(2);
        assertThat(backoff.retryAt(REMOTE)).isEmpty();
    }

    @Test
    void ignoringBackoffContactsTheDestinationAnywayAndASuccessResetsIt() {
        assertThatThrownBy(this::get).isInstanceOf(FederationUnreachableException.class);
        FederationClient eager = client.ignoringBackoff();
        assertThatThrownBy(() -> eager.send(REMOTE, "GET", "/x", Optional.empty()))
                .isInstanceOf(FederationUnreachableException.class);
        assertThat(sent).hasValue(2);

        up.set(true);
        assertThat(eager.send(REMOTE, "GET", "/x", Optional.empty()).status()).isEqualTo(200);
        assertThat(get().status()).as("the success reset the backoff").isEqualTo(200);
    }

    private OutboundResponse get() {
        return client.send(REMOTE, "GET", "/_matrix/federation/v1/version", Optional.empty());
    }
}
