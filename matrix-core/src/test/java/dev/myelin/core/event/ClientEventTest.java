package dev.myelin.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import org.junit.jupiter.api.Test;

class ClientEventTest {
    static final ServerName ORIGIN = ServerName.parse("example.org");
    static final UserId ALICE = UserId.parse("@alice:example.org");
    static final SigningKey KEY = SigningKey.generate("1");
    static final EventId TARGET = EventId.parse("$" + "C".repeat(43));

    static Pdu redaction(RoomVersion version) {
        return PduBuilder.forVersion(version)
                .roomId(RoomId.parse("!room:example.org"))
                .sender(ALICE)
                .type("m.room.redaction")
                .content((ObjectNode) CanonicalJson.parse("{\"reason\":\"spam\"}"))
                .redacts(TARGET)
                .depth(3)
                .originServerTs(77)
                .unsigned((ObjectNode) CanonicalJson.parse("{\"age\":5,\"transaction_id\":\"t\"}"))
                .build(ORIGIN, KEY);
    }

    @Test
    void hasExactlyTheClientKeys() {
        Pdu pdu = PduBuilder.forVersion(RoomVersions.V10)
                .roomId(RoomId.parse("!room:example.org"))
                .sender(ALICE)
                .type("m.room.name")
                .stateKey("")
                .content((ObjectNode) CanonicalJson.parse("{\"name\":\"Room\"}"))
                .depth(3)
                .originServerTs(77)
                .build(ORIGIN, KEY);

        ObjectNode client = ClientEvent.toClientFormat(pdu);

        assertThat(CanonicalJson.encodeToString(client))
                .isEqualTo(
                        "{\"content\":{\"name\":\"Room\"},\"event_id\":\""
                                + pdu.eventId() + "\",\"origin_server_ts\":77,\"room_id\":\"!room:example.org\","
                                + "\"sender\":\"@alice:example.org\",\"state_key\":\"\",\"type\":\"m.room.name\",\"unsigned\":{}}");
    }

    @Test
    void servesRedactsInBothPlacesInEveryVersion() {
        for (RoomVersion version : new RoomVersion[] {RoomVersions.V10, RoomVersions.V11}) {
            ObjectNode client = ClientEvent.toClientFormat(redaction(version));

            assertThat(client.path("redacts").textValue()).as(version.id()).isEqualTo(TARGET.value());
            assertThat(client.path("content").path("redacts").textValue())
                    .as(version.id())
                    .isEqualTo(TARGET.value());
            assertThat(client.path("content").path("reason").textValue()).isEqualTo("spam");
            assertThat(client.has("state_key")).isFalse();
        }
    }

    @Test
    void federationFormatDropsClientOnlyUnsignedKeysAndHashEventIds() {
        ObjectNode federation = ClientEvent.toFederationFormat(redaction(RoomVersions.V11));

        assertThat(federation.has("event_id")).isFalse();
        assertThat(federation.path("unsigned").has("transaction_id")).isFalse();
        assertThat(federation.path("unsigned").path("age").intValue()).isEqualTo(5);
        assertThat(federation.has("signatures")).isTrue();
        assertThat(ClientEvent.toFederationFormat(redaction(RoomVersions.V1)).has("event_id"))
                .isTrue();
    }
}
