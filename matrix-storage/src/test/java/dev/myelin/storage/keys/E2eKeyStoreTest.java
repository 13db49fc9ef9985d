package dev.myelin.storage.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.keys.E2eKeyStore.UploadOutcome;
import dev.myelin.storage.stream.StreamIds;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class E2eKeyStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final DeviceId PHONE = DeviceId.parse("PHONE");
    private static final DeviceId LAPTOP = DeviceId.parse("LAPTOP");
    private static final String SIGNED = "signed_curve25519";

    private record Keys(E2eKeyStore keys, DeviceListStore deviceLists, CrossSigningStore crossSigning) {
        static Keys over(Database db) {
            DeviceListStore deviceLists = new DeviceListStore(db, new StreamIds(db));
            return new Keys(new E2eKeyStore(db, deviceLists), deviceLists, new CrossSigningStore(db, deviceLists));
        }
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode deviceKeys(DeviceId device, String curve) {
        return json("{\"user_id\":\"@alice:example.org\",\"device_id\":\"" + device.value() + "\","
                + "\"algorithms\":[\"m.olm.v1.curve25519-aes-sha2\"],"
                + "\"keys\":{\"curve25519:" + device.value() + "\":\"" + curve + "\"}}");
    }

    private static OneTimeKey otk(String keyId, String key) {
        return new OneTimeKey(SIGNED, keyId, json("{\"key\":\"" + key + "\"}"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void storesADevicesKeysAndLogsAChangeOnlyWhenTheIdentityKeysChange(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Keys k = Keys.over(db);
            long start = k.deviceLists().currentPosition();

            UploadOutcome first = k.keys()
                    .upload(
                            ALICE,
                            PHONE,
                            deviceKeys(PHONE, "c1"),
                            List.of(otk("AAA", "a"), otk("BBB", "b")),
                            List.of(new OneTimeKey("curve25519", "F", json("{}"))));
            assertThat(first).isEqualTo(new UploadOutcome(Optional.empty(), true, Map.of(SIGNED, 2)));
            long afterFirst = k.deviceLists().currentPosition();
            assertThat(afterFirst).isGreaterThan(start);
            assertThat(k.deviceLists().usersChangedSince(List.of(ALICE, BOB), start))
                    .isEqualTo(List.of(ALICE));

            UploadOutcome same = k.keys().upload(ALICE, PHONE, deviceKeys(PHONE, "c1"), List.of(), List.of());
            assertThat(same).isEqualTo(new UploadOutcome(Optional.empty(), false, Map.of(SIGNED, 2)));
            assertThat(k.deviceLists().currentPosition())
                    .as("nothing changed, nothing logged")
                    .isEqualTo(afterFirst);

            k.keys().upload(ALICE, LAPTOP, deviceKeys(LAPTOP, "c2"), List.of(), List.of());
            UploadOutcome replaced = k.keys().upload(ALICE, PHONE, deviceKeys(PHONE, "c3"), List.of(), List.of());
            assertThat(replaced.deviceKeysChanged()).isTrue();
            assertThat(k.keys().deviceKeys(ALICE, PHONE)).contains(deviceKeys(PHONE, "c3"));
            assertThat(k.keys().deviceKeys(ALICE))
                    .isEqualTo(Map.of(LAPTOP, deviceKeys(LAPTOP, "c2"), PHONE, deviceKeys(PHONE, "c3")));
            assertThat(k.keys().deviceKeys(BOB)).isEmpty();
            assertThat(k.keys().deviceKeys(BOB, PHONE)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aOneTimeKeyReuploadedWithOtherContentRejectsTheWholeUpload(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Keys k = Keys.over(db);
            k.keys().upload(ALICE, PHONE, deviceKeys(PHONE, "c1"), List.of(otk("AAA", "a")), List.of());
            long position = k.deviceLists().currentPosition();

            UploadOutcome identical =
                    k.keys().upload(ALICE, PHONE, null, List.of(otk("AAA", "a"), otk("BBB", "b")), List.of());
            assertThat(identical)
                    .as("an identical key is skipped, the new one stored")
                    .isEqualTo(new UploadOutcome(Optional.empty(), false, Map.of(SIGNED, 2)));

            UploadOutcome conflict = k.keys()
                    .upload(
                            ALICE,
                            PHONE,
                            deviceKeys(PHONE, "other"),
                            List.of(otk("CCC", "c"), otk("AAA", "changed")),
                            List.of(otk("F", "f")));
            assertThat(conflict).isEqualTo(new UploadOutcome(Optional.of(SIGNED + ":AAA"), false, Map.of()));
            assertThat(k.keys().oneTimeKeyCounts(ALICE, PHONE)).isEqualTo(Map.of(SIGNED, 2));
            assertThat(k.keys().deviceKeys(ALICE, PHONE)).contains(deviceKeys(PHONE, "c1"));
            assertThat(k.keys().unusedFallbackKeyAlgorithms(ALICE, PHONE)).isEmpty();
            assertThat(k.deviceLists().currentPosition()).isEqualTo(position);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void claimsTheOldestOneTimeKeyThenTheFallbackKeyWhichStays(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Keys k = Keys.over(db);
            k.keys().upload(ALICE, PHONE, null, List.of(otk("ZZZ", "z"), otk("MMM", "m")), List.of(otk("F1", "f1")));
            k.keys().upload(ALICE, PHONE, null, List.of(otk("AAA", "a")), List.of());
            assertThat(k.keys().unusedFallbackKeyAlgorithms(ALICE, PHONE)).isEqualTo(List.of(SIGNED));

            assertThat(k.keys().claim(ALICE, PHONE, SIGNED))
                    .as("first upload, then key id")
                    .contains(otk("MMM", "m"));
            assertThat(k.keys().claim(ALICE, PHONE, SIGNED)).contains(otk("ZZZ", "z"));
            assertThat(k.keys().claim(ALICE, PHONE, SIGNED))
                    .as("a later upload")
                    .contains(otk("AAA", "a"));
            assertThat(k.keys().oneTimeKeyCounts(ALICE, PHONE)).isEmpty();
            assertThat(k.keys().claim(ALICE, PHONE, SIGNED)).contains(otk("F1", "f1"));
            assertThat(k.keys().claim(ALICE, PHONE, SIGNED))
                    .as("the fallback key is kept")
                    .contains(otk("F1", "f1"));
            assertThat(k.keys().unusedFallbackKeyAlgorithms(ALICE, PHONE)).isEmpty();
            assertThat(k.keys().claim(ALICE, PHONE, "curve25519")).isEmpty();
            assertThat(k.keys().claim(BOB, PHONE, SIGNED)).isEmpty();

            k.keys().upload(ALICE, PHONE, null, List.of(), List.of(otk("F1", "f1")));
            assertThat(k.keys().unusedFallbackKeyAlgorithms(ALICE, PHONE))
                    .as("an identical re-upload keeps the used flag")
                    .isEmpty();
            k.keys().upload(ALICE, PHONE, null, List.of(), List.of(otk("F2", "f2")));
            assertThat(k.keys().unusedFallbackKeyAlgorithms(ALICE, PHONE)).isEqualTo(List.of(SIGNED));
            assertThat(k.keys().claim(ALICE, PHONE, SIGNED)).contains(otk("F2", "f2"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void newIdentityKeysDropTheSignaturesOnTheOldOnes(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Keys k = Keys.over(db);
            k.keys().upload(ALICE, PHONE, deviceKeys(PHONE, "c1"), List.of(), List.of());
            k.keys().upload(ALICE, LAPTOP, deviceKeys(LAPTOP, "c2"), List.of(), List.of());
            KeySignature onPhone = new KeySignature(ALICE, "PHONE", ALICE, "ed25519:SSK", "sig1");
            KeySignature onLaptop = new KeySignature(ALICE, "LAPTOP", ALICE, "ed25519:SSK", "sig2");
            k.crossSigning().addSignatures(List.of(onPhone, onLaptop), Set.of(ALICE));

            k.keys().upload(ALICE, PHONE, deviceKeys(PHONE, "c1"), List.of(), List.of());
            assertThat(k.crossSigning().signaturesOn(ALICE))
                    .as("same keys again")
                    .isEqualTo(List.of(onLaptop, onPhone));
            k.keys().upload(ALICE, PHONE, deviceKeys(PHONE, "new"), List.of(), List.of());
            assertThat(k.crossSigning().signaturesOn(ALICE)).isEqualTo(List.of(onLaptop));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deletingADeviceRemovesItsKeysAndTheSignaturesByAndOnIt(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Keys k = Keys.over(db);
            k.keys().upload(ALICE, PHONE, deviceKeys(PHONE, "c1"), List.of(otk("AAA", "a")), List.of(otk("F", "f")));
            k.keys().upload(ALICE, LAPTOP, deviceKeys(LAPTOP, "c2"), List.of(otk("BBB", "b")), List.of());
            KeySignature onPhone = new KeySignature(ALICE, "PHONE", ALICE, "ed25519:SSK", "sig1");
            KeySignature byPhone = new KeySignature(ALICE, "MASTER", ALICE, "ed25519:PHONE", "sig2");
            KeySignature byLaptop = new KeySignature(ALICE, "MASTER", ALICE, "ed25519:LAPTOP", "sig3");
            k.crossSigning().addSignatures(List.of(onPhone, byPhone, byLaptop), Set.of(ALICE));

            boolean had = db.write(tx -> k.keys().deleteDevice(tx, ALICE, PHONE));
            boolean hadAgain = db.write(tx -> k.keys().deleteDevice(tx, ALICE, PHONE));
            assertThat(had).isTrue();
            assertThat(hadAgain).as("nothing left").isFalse();

            assertThat(k.keys().deviceKeys(ALICE)).isEqualTo(Map.of(LAPTOP, deviceKeys(LAPTOP, "c2")));
            assertThat(k.keys().oneTimeKeyCounts(ALICE, PHONE)).isEmpty();
            assertThat(k.keys().unusedFallbackKeyAlgorithms(ALICE, PHONE)).isEmpty();
            assertThat(k.keys().claim(ALICE, PHONE, SIGNED)).isEmpty();
            assertThat(k.keys().oneTimeKeyCounts(ALICE, LAPTOP)).isEqualTo(Map.of(SIGNED, 1));
            assertThat(k.crossSigning().signaturesOn(ALICE)).isEqualTo(List.of(byLaptop));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keysComeBackAsUploadedWhateverTheirShape(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            Keys k = Keys.over(db);
            JsonNode odd = json("{\"key\":\"ü\\u0000\",\"fallback\":true,\"signatures\":{\"@alice:example.org\":"
                    + "{\"ed25519:PHONE\":\"s\"}},\"n\":[1,2,{}]}");
            k.keys().upload(ALICE, PHONE, null, List.of(new OneTimeKey(SIGNED, "X", odd)), List.of());

            assertThat(k.keys().claim(ALICE, PHONE, SIGNED)).contains(new OneTimeKey(SIGNED, "X", odd));
        }
    }
}
