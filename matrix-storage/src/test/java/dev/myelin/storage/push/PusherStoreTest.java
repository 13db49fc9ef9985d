package dev.myelin.storage.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.ManualClock;
import dev.myelin.storage.Database;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PusherStoreTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);

    private static Pusher pusher(UserId user, String pushkey, String lang) {
        ObjectNode json = JsonNodeFactory.instance
                .objectNode()
                .put("pushkey", pushkey)
                .put("app_id", "app")
                .put("kind", "http")
                .put("lang", lang);
        return new Pusher(user, "app", pushkey, "http", Optional.of(DeviceId.parse("DEV")), json);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void replacesByAppIdAndPushkeyAndTakesPushkeysOverFromOtherUsers(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            PusherStore store = new PusherStore(db, new ManualClock(Instant.ofEpochMilli(1_000)));
            store.put(pusher(ALICE, "k1", "en"), false);
            store.put(pusher(ALICE, "k1", "fr"), false);
            store.put(pusher(ALICE, "k2", "en"), false);
            assertThat(store.forUser(ALICE))
                    .extracting(p -> p.json().get("lang").asText())
                    .containsExactly("fr", "en");

            store.put(pusher(BOB, "k1", "de"), true);
            assertThat(store.forUser(ALICE)).hasSize(2);
            store.put(pusher(BOB, "k1", "de"), false);
            assertThat(store.forUser(ALICE)).extracting(Pusher::pushkey).containsExactly("k2");
            assertThat(store.forUser(BOB)).singleElement().satisfies(p -> {
                assertThat(p.deviceId()).contains(DeviceId.parse("DEV"));
                assertThat(p.kind()).isEqualTo("http");
            });

            assertThat(store.delete(ALICE, "app", "k2")).isTrue();
            assertThat(store.delete(ALICE, "app", "k2")).isFalse();
            assertThat(store.forUser(ALICE)).isEmpty();
        }
    }
}
