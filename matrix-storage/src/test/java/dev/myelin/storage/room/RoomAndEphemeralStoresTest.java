package dev.myelin.storage.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.time.ManualClock;
import dev.myelin.storage.Database;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.device.ToDeviceMessage;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.media.LocalMedia;
import dev.myelin.storage.media.MediaStore;
import dev.myelin.storage.receipt.Receipt;
import dev.myelin.storage.receipt.ReceiptStore;
import dev.myelin.storage.stream.StreamIds;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.storage.testing.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoomAndEphemeralStoresTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final RoomId ROOM = RoomId.of("room", SERVER);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void roomsAndAliases(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            RoomStore rooms = new RoomStore(db);
            assertThat(rooms.create(ROOM, RoomVersions.V10, ALICE, false)).isTrue();
            assertThat(rooms.create(ROOM, RoomVersions.V11, BOB, true)).isFalse();
            Room room = rooms.get(ROOM).orElseThrow();
            assertThat(room).isEqualTo(new Room(ROOM, "10", Optional.of(ALICE), false));
            assertThat(room.version()).contains(RoomVersions.V10);
            assertThat(rooms.publicRooms()).isEmpty();
            assertThat(rooms.setPublic(ROOM, true)).isTrue();
            assertThat(rooms.publicRooms()).containsExactly(ROOM);
            assertThat(rooms.get(RoomId.of("nope", SERVER))).isEmpty();

            RoomAliasStore aliases = new RoomAliasStore(db);
            RoomAlias alias = RoomAlias.parse("#lobby:example.org");
            assertThat(aliases.create(alias, ROOM, ALICE)).isTrue();
            assertThat(aliases.create(alias, RoomId.of("other", SERVER), BOB)).isFalse();
            assertThat(aliases.resolve(alias)).contains(ROOM);
            assertThat(aliases.creator(alias)).contains(ALICE);
            assertThat(aliases.aliasesFor(ROOM)).containsExactly(alias);
            assertThat(aliases.delete(alias)).isTrue();
            assertThat(aliases.resolve(alias)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void receiptsKeepTheLatestPerUserAndType(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            ReceiptStore receipts = new ReceiptStore(db, new StreamIds(db));
            EventId e1 = TestEvents.newEventId();
            EventId e2 = TestEvents.newEventId();
            long p1 =
                    receipts.put(ROOM, "m.read", ALICE, null, e1, Json.object().put("ts", 1));
            long p2 = receipts.put(ROOM, "m.read", BOB, null, e1, Json.object().put("ts", 2));
            long p3 =
                    receipts.put(ROOM, "m.read", ALICE, null, e2, Json.object().put("ts", 3));
            assertThat(receipts.get(ROOM, "m.read", ALICE))
                    .map(Receipt::eventId)
                    .contains(e2);
            assertThat(receipts.changesSince(List.of(ROOM), p1))
                    .extracting(Receipt::streamId)
                    .containsExactly(p2, p3);
            assertThat(receipts.changesSince(List.of(RoomId.of("x", SERVER)), 0))
                    .isEmpty();
            assertThat(receipts.currentPosition()).isEqualTo(p3);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void toDeviceMessagesAreDeletedOnceAcknowledged(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            StreamIds streams = new StreamIds(db);
            ToDeviceStore inbox = new ToDeviceStore(db, streams);
            DeviceId d1 = new DeviceId("D1");
            DeviceId d2 = new DeviceId("D2");
            inbox.send(Map.of(
                    ALICE,
                    Map.of(d1, Json.object().put("n", 1), d2, Json.object().put("n", 2))));
            long last = inbox.send(Map.of(ALICE, Map.of(d1, Json.object().put("n", 3))));
            List<ToDeviceMessage> pending = inbox.pending(ALICE, d1, 0, 10);
            assertThat(pending).extracting(m -> m.message().path("n").asInt()).containsExactly(1, 3);
            assertThat(inbox.acknowledge(ALICE, d1, pending.getFirst().streamId()))
                    .isEqualTo(1);
            assertThat(inbox.pending(ALICE, d1, 0, 10))
                    .extracting(ToDeviceMessage::streamId)
                    .containsExactly(last);
            assertThat(inbox.pending(ALICE, d2, 0, 10)).hasSize(1);
            inbox.acknowledge(ALICE, d1, last);
            assertThat(inbox.pending(ALICE, d1, 0, 10)).isEmpty();
            assertThat(new StreamIds(db).currentPosition(dev.myelin.storage.stream.Stream.TO_DEVICE))
                    .as("the position survives the rows being deleted")
                    .isEqualTo(last);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deviceListChangesAndMedia(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            DeviceListStore changes = new DeviceListStore(db, new StreamIds(db));
            long p1 = changes.recordChange(ALICE, new DeviceId("A"));
            changes.recordChange(BOB, new DeviceId("B"));
            changes.recordChange(ALICE, new DeviceId("A2"));
            assertThat(changes.usersChangedSince(List.of(ALICE, BOB), 0)).containsExactly(ALICE, BOB);
            assertThat(changes.usersChangedSince(List.of(BOB), changes.currentPosition()))
                    .isEmpty();
            assertThat(changes.usersChangedSince(List.of(ALICE), p1)).containsExactly(ALICE);

            MediaStore media = new MediaStore(db, new ManualClock(Instant.ofEpochMilli(5_000)));
            assertThat(media.record("abc", "image/png", 1234, Optional.of("cat.png"), ALICE))
                    .isTrue();
            assertThat(media.record("abc", "image/png", 1, Optional.empty(), BOB))
                    .isFalse();
            assertThat(media.get("abc"))
                    .contains(new LocalMedia(
                            "abc",
                            "image/png",
                            1234,
                            Optional.of("cat.png"),
                            ALICE,
                            Instant.ofEpochMilli(5_000),
                            Optional.empty()));
            assertThat(media.quarantine("abc", BOB)).isTrue();
            assertThat(media.uploadsBy(ALICE))
                    .singleElement()
                    .extracting(LocalMedia::quarantinedBy)
                    .isEqualTo(Optional.of(BOB));
        }
    }
}
