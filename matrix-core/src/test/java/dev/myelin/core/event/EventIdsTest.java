package dev.myelin.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.UnpaddedBase64;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.room.RoomVersions;
import org.junit.jupiter.api.Test;

/** Event ids per event format, and the room version 12 room id. */
class EventIdsTest {
    static final ServerName ORIGIN = ServerName.parse("example.org");

    static ObjectNode hashFormatEvent(long depth) {
        return (ObjectNode) CanonicalJson.parse("""
                {"room_id":"!r:example.org","sender":"@u:example.org","type":"m.room.message",
                 "content":{"body":"hi"},"prev_events":[],"auth_events":[],"depth":%d,
                 "origin_server_ts":1000,"hashes":{"sha256":"x"},"signatures":{}}""".formatted(depth));
    }

    /** An event whose reference hash, in standard base64, contains '+' or '/'. */
    static ObjectNode eventWithAlphabetDifference() {
        for (long depth = 1; depth < 1000; depth++) {
            ObjectNode event = hashFormatEvent(depth);
            String standard = UnpaddedBase64.encode(EventHashes.referenceHash(event, RoomVersions.V3));
            if (standard.contains("+") || standard.contains("/")) {
                return event;
            }
        }
        throw new AssertionError("no event found");
    }

    @Test
    void version1ReadsTheEventIdFromTheEvent() {
        ObjectNode event = hashFormatEvent(1);
        event.put("event_id", "$abc:example.org");

        assertThat(EventHashes.eventId(event, RoomVersions.V1)).isEqualTo(EventId.parse("$abc:example.org"));
        assertThat(EventHashes.eventId(event, RoomVersions.V2)).isEqualTo(EventId.parse("$abc:example.org"));
    }

    @Test
    void version1WithoutAnEventIdIsInvalid() {
        assertThatThrownBy(() -> EventHashes.eventId(hashFormatEvent(1), RoomVersions.V1))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("event_id");
    }

    @Test
    void version3UsesTheStandardAlphabetAndVersion4TheUrlSafeOne() {
        ObjectNode event = eventWithAlphabetDifference();
        byte[] hash = EventHashes.referenceHash(event, RoomVersions.V3);

        EventId v3 = EventHashes.eventId(event, RoomVersions.V3);
        EventId v4 = EventHashes.eventId(event, RoomVersions.V4);

        assertThat(v3.value()).isEqualTo("$" + UnpaddedBase64.encode(hash)).matches(".*[+/].*");
        assertThat(v4.value())
                .isEqualTo("$" + UnpaddedBase64.encodeUrlSafe(hash))
                .matches(".*[-_].*")
                .doesNotContain("+", "/");
        assertThat(v3.isStandardBase64Hash()).isTrue();
        assertThat(v4.isUrlSafeBase64Hash()).isTrue();
        assertThat(Pdus.fromJson(event, RoomVersions.V3).eventId()).isEqualTo(v3);
        assertThat(Pdus.fromJson(event, RoomVersions.V4).eventId()).isEqualTo(v4);
    }

    @Test
    void referenceHashIgnoresWhatRedactionRemoves() {
        ObjectNode event = hashFormatEvent(5);
        ObjectNode changed = event.deepCopy();
        changed.withObjectProperty("content").put("body", "changed");
        changed.putObject("unsigned").put("age", 3);
        changed.withObjectProperty("signatures").putObject("example.org").put("ed25519:1", "sig");

        assertThat(EventHashes.eventId(changed, RoomVersions.V10))
                .isEqualTo(EventHashes.eventId(event, RoomVersions.V10));
        changed.put("depth", 6);
        assertThat(EventHashes.eventId(changed, RoomVersions.V10))
                .isNotEqualTo(EventHashes.eventId(event, RoomVersions.V10));
    }

    @Test
    void hashFormatsIgnoreAnEventIdKey() {
        ObjectNode event = hashFormatEvent(5);
        ObjectNode withId = event.deepCopy().put("event_id", "$whatever");

        assertThat(EventHashes.eventId(withId, RoomVersions.V4)).isEqualTo(EventHashes.eventId(event, RoomVersions.V4));
    }

    @Test
    void version12RoomIdIsTheCreateEventsReferenceHash() {
        SigningKey key = SigningKey.generate("1");
        Pdu create = PduBuilder.forVersion(RoomVersions.V12)
                .sender(UserId.parse("@creator:example.org"))
                .type("m.room.create")
                .stateKey("")
                .content((ObjectNode) CanonicalJson.parse("{\"room_version\":\"12\"}"))
                .depth(1)
                .originServerTs(1000)
                .build(ORIGIN, key);

        assertThat(create.json().has("room_id")).isFalse();
        assertThat(create.roomId()).isEqualTo(RoomId.fromCreateEvent(create.eventId()));
        assertThat(create.roomId().value())
                .isEqualTo("!" + create.eventId().value().substring(1));
        assertThat(Pdus.fromJson(create.json(), RoomVersions.V12).roomId()).isEqualTo(create.roomId());

        Pdu next = PduBuilder.forVersion(RoomVersions.V12)
                .roomId(create.roomId())
                .sender(UserId.parse("@creator:example.org"))
                .type("m.room.message")
                .prevEvents(java.util.List.of(create.eventId()))
                .depth(2)
                .originServerTs(1001)
                .build(ORIGIN, key);
        assertThat(next.roomId()).isEqualTo(create.roomId());
    }
}
