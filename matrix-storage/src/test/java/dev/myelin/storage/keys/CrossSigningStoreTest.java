package dev.myelin.storage.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.stream.StreamIds;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrossSigningStoreTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);

    private static ObjectNode key(UserId user, String usage, String publicKey) {
        ObjectNode key = JsonNodeFactory.instance.objectNode().put("user_id", user.toString());
        key.putArray("usage").add(usage);
        key.putObject("keys").put("ed25519:" + publicKey, publicKey);
        return key;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aChangeOnlyItsOwnerSeesIsReportedToThemAlone(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            DeviceListStore deviceLists = new DeviceListStore(db, new StreamIds(db));
            CrossSigningStore store = new CrossSigningStore(db, deviceLists);
            long start = deviceLists.currentPosition();
            store.replace(
                    ALICE,
                    Map.of(CrossSigningKeyType.USER_SIGNING, key(ALICE, "user_signing", "U1")),
                    List.of(),
                    false);
            assertThat(deviceLists.currentPosition()).isGreaterThan(start);
            assertThat(store.key(ALICE, CrossSigningKeyType.USER_SIGNING)).isPresent();
            assertThat(deviceLists.usersChangedBetween(BOB, List.of(ALICE, BOB), start, Long.MAX_VALUE))
                    .isEmpty();
            assertThat(deviceLists.usersChangedBetween(ALICE, List.of(ALICE, BOB), start, Long.MAX_VALUE))
                    .containsExactly(ALICE);
            assertThat(deviceLists.usersChangedSince(List.of(ALICE, BOB), start))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void replacesKeysByTypeAndLogsAChangeEachTime(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            DeviceListStore deviceLists = new DeviceListStore(db, new StreamIds(db));
            CrossSigningStore store = new CrossSigningStore(db, deviceLists);
            assertThat(store.keys(ALICE)).isEmpty();
            long start = deviceLists.currentPosition();

            store.replace(
                    ALICE,
                    Map.of(
                            CrossSigningKeyType.MASTER,
                            key(ALICE, "master", "M1"),
                            CrossSigningKeyType.SELF_SIGNING,
                            key(ALICE, "self_signing", "S1")),
                    List.of());
            long afterFirst = deviceLists.currentPosition();
            assertThat(afterFirst).isGreaterThan(start);
            assertThat(deviceLists.usersChangedSince(List.of(ALICE, BOB), start))
                    .isEqualTo(List.of(ALICE));

            store.replace(
                    ALICE,
                    Map.of(
                            CrossSigningKeyType.SELF_SIGNING,
                            key(ALICE, "self_signing", "S2"),
                            CrossSigningKeyType.USER_SIGNING,
                            key(ALICE, "user_signing", "U1")),
                    List.of("ed25519:S1"));
            assertThat(deviceLists.currentPosition()).isGreaterThan(afterFirst);
            assertThat(store.keys(ALICE))
                    .isEqualTo(Map.of(
                            CrossSigningKeyType.MASTER, key(ALICE, "master", "M1"),
                            CrossSigningKeyType.SELF_SIGNING, key(ALICE, "self_signing", "S2"),
                            CrossSigningKeyType.USER_SIGNING, key(ALICE, "user_signing", "U1")));
            assertThat(store.key(ALICE, CrossSigningKeyType.USER_SIGNING)).contains(key(ALICE, "user_signing", "U1"));
            assertThat(store.key(BOB, CrossSigningKeyType.MASTER)).isEmpty();
            assertThat(store.keys(BOB)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void replacingAKeyDropsTheSignaturesMadeByItAndMadeOnIt(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            CrossSigningStore store = new CrossSigningStore(db, new DeviceListStore(db, new StreamIds(db)));
            store.replace(
                    ALICE,
                    Map.of(
                            CrossSigningKeyType.MASTER,
                            key(ALICE, "master", "M1"),
                            CrossSigningKeyType.SELF_SIGNING,
                            key(ALICE, "self_signing", "S1")),
                    List.of());
            KeySignature masterOnSelf = new KeySignature(ALICE, "S1", ALICE, "ed25519:M1", "a");
            KeySignature deviceOnMaster = new KeySignature(ALICE, "M1", ALICE, "ed25519:PHONE", "b");
            KeySignature bobOnMaster = new KeySignature(ALICE, "M1", BOB, "ed25519:BOBUSK", "c");
            KeySignature selfOnDevice = new KeySignature(ALICE, "PHONE", ALICE, "ed25519:S1", "d");
            KeySignature aliceOnBob = new KeySignature(BOB, "BOBMASTER", ALICE, "ed25519:M1", "e");
            store.addSignatures(
                    List.of(masterOnSelf, deviceOnMaster, bobOnMaster, selfOnDevice, aliceOnBob), Set.of(ALICE, BOB));
            assertThat(store.signaturesOn(ALICE))
                    .as("by target key, signer, signer key")
                    .isEqualTo(List.of(deviceOnMaster, bobOnMaster, selfOnDevice, masterOnSelf));

            store.replace(ALICE, Map.of(CrossSigningKeyType.MASTER, key(ALICE, "master", "M2")), List.of("ed25519:M1"));

            assertThat(store.signaturesOn(ALICE)).isEqualTo(List.of(selfOnDevice));
            assertThat(store.signaturesOn(BOB))
                    .as("alice's old master signed it")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSignatureReplacesTheSameSignersEarlierOneAndLogsTheChangedUsers(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            DeviceListStore deviceLists = new DeviceListStore(db, new StreamIds(db));
            CrossSigningStore store = new CrossSigningStore(db, deviceLists);
            long start = deviceLists.currentPosition();

            store.addSignatures(List.of(), Set.of(ALICE));
            assertThat(deviceLists.currentPosition())
                    .as("no signatures, no change")
                    .isEqualTo(start);

            store.addSignatures(List.of(new KeySignature(BOB, "BOBMASTER", ALICE, "ed25519:U1", "old")), Set.of(BOB));
            long afterFirst = deviceLists.currentPosition();
            assertThat(deviceLists.usersChangedSince(List.of(ALICE, BOB), start))
                    .isEqualTo(List.of(BOB));
            store.addSignatures(
                    List.of(
                            new KeySignature(BOB, "BOBMASTER", ALICE, "ed25519:U1", "new"),
                            new KeySignature(BOB, "BOBMASTER", ALICE, "ed25519:U2", "other")),
                    Set.of(ALICE, BOB));

            assertThat(store.signaturesOn(BOB))
                    .isEqualTo(List.of(
                            new KeySignature(BOB, "BOBMASTER", ALICE, "ed25519:U1", "new"),
                            new KeySignature(BOB, "BOBMASTER", ALICE, "ed25519:U2", "other")));
            assertThat(deviceLists.usersChangedSince(List.of(ALICE, BOB), afterFirst))
                    .isEqualTo(List.of(ALICE, BOB));
            assertThat(store.signaturesOn(ALICE)).isEmpty();
            assertThat(store.key(ALICE, CrossSigningKeyType.MASTER)).isEqualTo(Optional.empty());
        }
    }
}
