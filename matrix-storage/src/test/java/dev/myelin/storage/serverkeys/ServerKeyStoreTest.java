package dev.myelin.storage.serverkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.storage.Database;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerKeyStoreTest {
    private static final ServerName REMOTE = ServerName.parse("remote.example");
    private static final ServerName OTHER = ServerName.parse("other.example");
    private static final SigningKeyId KEY1 = SigningKeyId.parse("ed25519:one");
    private static final SigningKeyId KEY2 = SigningKeyId.parse("ed25519:two");
    private static final SigningKeyId KEY3 = SigningKeyId.parse("ed25519:three");
    private static final VerifyKey VK1 = SigningKey.generate("one").verifyKey();
    private static final VerifyKey VK2 = SigningKey.generate("two").verifyKey();

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keepsTheResponseAndItsKeys(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            ServerKeyStore store = new ServerKeyStore(db);
            assertThat(store.key(REMOTE, KEY1)).isEmpty();
            assertThat(store.responses(REMOTE)).isEmpty();

            StoredServerKey current = new StoredServerKey(REMOTE, KEY1, VK1, 5_000, OptionalLong.empty(), 1_000);
            StoredServerKey old = new StoredServerKey(REMOTE, KEY2, VK2, 900, OptionalLong.of(900), 1_000);
            store.store(new StoredKeyResponse(REMOTE, "{\"a\":1}", 5_000, 1_000), List.of(current, old));

            assertThat(store.key(REMOTE, KEY1)).contains(current);
            assertThat(store.key(REMOTE, KEY2)).contains(old);
            assertThat(store.key(OTHER, KEY1)).isEmpty();
            assertThat(store.keys(REMOTE)).containsExactly(current, old);
            StoredKeyResponse response = new StoredKeyResponse(REMOTE, "{\"a\":1}", 5_000, 1_000);
            assertThat(store.responses(REMOTE)).isEqualTo(java.util.Map.of(KEY1, response, KEY2, response));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aNewerResponseReplacesTheOldOneAndKeepsDroppedKeys(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            ServerKeyStore store = new ServerKeyStore(db);
            StoredServerKey first = new StoredServerKey(REMOTE, KEY1, VK1, 5_000, OptionalLong.empty(), 1_000);
            store.store(new StoredKeyResponse(REMOTE, "{\"v\":1}", 5_000, 1_000), List.of(first));
            StoredServerKey second = new StoredServerKey(REMOTE, KEY2, VK2, 9_000, OptionalLong.empty(), 2_000);
            StoredServerKey firstExpired = new StoredServerKey(REMOTE, KEY1, VK1, 1_500, OptionalLong.of(1_500), 2_000);
            store.store(new StoredKeyResponse(REMOTE, "{\"v\":2}", 9_000, 2_000), List.of(second, firstExpired));

            assertThat(store.responses(REMOTE).get(KEY1).keyJson()).isEqualTo("{\"v\":2}");
            assertThat(store.key(REMOTE, KEY1)).contains(firstExpired);
            assertThat(store.key(REMOTE, KEY2)).contains(second);

            StoredServerKey third = new StoredServerKey(REMOTE, KEY3, VK1, 10_000, OptionalLong.empty(), 3_000);
            store.store(new StoredKeyResponse(REMOTE, "{\"v\":3}", 10_000, 3_000), List.of(third));
            assertThat(store.keys(REMOTE))
                    .as("keys a later response no longer lists stay until their validity ends")
                    .containsExactly(firstExpired, third, second);
            assertThat(store.responses(REMOTE).get(KEY1).keyJson())
                    .as("with the response that last listed them")
                    .isEqualTo("{\"v\":2}");
            assertThat(store.responses(REMOTE).get(KEY3).keyJson()).isEqualTo("{\"v\":3}");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesKeysOfAnotherServer(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            ServerKeyStore store = new ServerKeyStore(db);
            StoredServerKey foreign = new StoredServerKey(OTHER, KEY1, VK1, 5_000, OptionalLong.empty(), 1_000);
            assertThatThrownBy(() -> store.store(new StoredKeyResponse(REMOTE, "{}", 5_000, 1_000), List.of(foreign)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.responses(REMOTE)).isEmpty();
        }
    }
}
