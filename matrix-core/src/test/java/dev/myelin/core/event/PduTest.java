package dev.myelin.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersions;
import org.junit.jupiter.api.Test;

class PduTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final EventId V4_ID = EventId.parse("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg");

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
    }

    private static ObjectNode message() throws Exception {
        return json("{'type':'m.room.message','room_id':'!r:example.org','sender':'@a:example.org',"
                + "'content':{'body':'hi'},'prev_events':['$Xqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg'],"
                + "'auth_events':[],'depth':5,'origin_server_ts':1000,'unsigned':{'age':3}}");
    }

    @Test
    void readsTheCommonKeys() throws Exception {
        Pdu pdu = Pdu.of(RoomVersions.V10, message(), V4_ID);
        assertThat(pdu).isInstanceOf(PduV4.class);
        assertThat(pdu.type()).isEqualTo("m.room.message");
        assertThat(pdu.roomId().value()).isEqualTo("!r:example.org");
        assertThat(pdu.sender().toString()).isEqualTo("@a:example.org");
        assertThat(pdu.stateKey()).isEmpty();
        assertThat(pdu.depth()).isEqualTo(5);
        assertThat(pdu.originServerTs()).isEqualTo(1000);
        assertThat(pdu.prevEventIds())
                .extracting(EventId::value)
                .containsExactly("$Xqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg");
        assertThat(pdu.unsigned().get("age").asInt()).isEqualTo(3);
        assertThat(pdu.content().get("body").asText()).isEqualTo("hi");
    }

    @Test
    void isImmutableFromOutside() throws Exception {
        ObjectNode source = message();
        Pdu pdu = Pdu.of(RoomVersions.V10, source, V4_ID);
        source.put("type", "changed");
        pdu.json().put("type", "changed too");
        assertThat(pdu.type()).isEqualTo("m.room.message");
        assertThat(pdu.json().get("type").asText()).isEqualTo("m.room.message");
    }

    @Test
    void namesTheBadKey() throws Exception {
        ObjectNode noSender = message();
        noSender.remove("sender");
        assertThatThrownBy(() -> Pdu.of(RoomVersions.V10, noSender, V4_ID))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'sender'");
        ObjectNode badDepth = message();
        badDepth.put("depth", "5");
        assertThatThrownBy(() -> Pdu.of(RoomVersions.V10, badDepth, V4_ID)).hasMessageContaining("'depth'");
        ObjectNode badPrev = message();
        badPrev.putArray("prev_events").add(1);
        assertThatThrownBy(() -> Pdu.of(RoomVersions.V10, badPrev, V4_ID)).hasMessageContaining("'prev_events'");
        ObjectNode badState = message();
        badState.put("state_key", 3);
        assertThatThrownBy(() -> Pdu.of(RoomVersions.V10, badState, V4_ID)).hasMessageContaining("'state_key'");
    }

    @Test
    void rejectsEventIdOfTheWrongFormat() throws Exception {
        assertThatThrownBy(() -> Pdu.of(RoomVersions.V10, message(), EventId.parse("$abc:example.org")))
                .hasMessageContaining("url-safe");
        assertThatThrownBy(() -> Pdu.of(RoomVersions.V3, message(), V4_ID)).hasMessageContaining("base64 hash");
    }

    @Test
    void readsVersionOneEdgesAsPairs() throws Exception {
        ObjectNode v1 = json("{'event_id':'$e1:example.org','type':'m.room.message','room_id':'!r:example.org',"
                + "'sender':'@a:example.org','content':{},'prev_events':[['$p:example.org',{'sha256':'x'}]],"
                + "'auth_events':[['$c:example.org',{}]],'depth':2,'origin_server_ts':1,"
                + "'redacts':'$x:example.org'}");
        Pdu pdu = Pdu.of(RoomVersions.V1, v1, EventId.parse("$e1:example.org"));
        assertThat(pdu.prevEventIds()).extracting(EventId::value).containsExactly("$p:example.org");
        assertThat(pdu.authEventIds()).extracting(EventId::value).containsExactly("$c:example.org");
        assertThat(pdu.redacts()).map(EventId::value).hasValue("$x:example.org");
        assertThatThrownBy(() -> Pdu.of(RoomVersions.V1, v1, EventId.parse("$other:example.org")))
                .hasMessageContaining("'event_id'");
    }

    @Test
    void readsRedactsFromContentFromVersionEleven() throws Exception {
        ObjectNode redaction = message();
        redaction.put("type", "m.room.redaction");
        redaction.put("redacts", "$top:example.org");
        ((ObjectNode) redaction.get("content")).put("redacts", "$content:example.org");
        assertThat(Pdu.of(RoomVersions.V10, redaction, V4_ID).redacts())
                .map(EventId::value)
                .hasValue("$top:example.org");
        assertThat(Pdu.of(RoomVersions.V11, redaction, V4_ID).redacts())
                .map(EventId::value)
                .hasValue("$content:example.org");
    }

    @Test
    void derivesRoomIdOfVersionTwelveCreateEvent() throws Exception {
        ObjectNode create = json("{'type':'m.room.create','state_key':'','sender':'@a:example.org',"
                + "'content':{'room_version':'12'},'prev_events':[],'auth_events':[],'depth':1,'origin_server_ts':1}");
        Pdu pdu = Pdu.of(RoomVersions.V12, create, V4_ID);
        assertThat(pdu.roomId().value()).isEqualTo("!" + V4_ID.value().substring(1));
        create.put("room_id", "!x");
        assertThatThrownBy(() -> Pdu.of(RoomVersions.V12, create, V4_ID))
                .hasMessageContaining("must not have 'room_id'");
    }
}
