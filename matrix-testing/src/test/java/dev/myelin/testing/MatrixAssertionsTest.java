package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The assertions pass on what they describe and fail with a message that shows what was there. */
class MatrixAssertionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SyncResponse SYNC = new SyncResponse(json("""
            {"next_batch": "s9",
             "rooms": {
               "join": {"!a:test.local": {"timeline": {"events": [
                 {"type": "m.room.message", "sender": "@bob:test.local", "event_id": "$1",
                  "content": {"msgtype": "m.text", "body": "hi"}},
                 {"type": "m.room.member", "sender": "@carol:test.local", "event_id": "$2", "state_key": "@carol:test.local",
                  "content": {"membership": "join"}}]}}},
               "invite": {"!b:test.local": {"invite_state": {"events": [
                 {"type": "m.room.name", "sender": "@bob:test.local", "state_key": "", "content": {"name": "B"}}]}}},
               "leave": {}}}
            """));

    @Test
    void syncAssertionsPassOnWhatIsThere() {
        assertThat(SYNC)
                .hasJoinedRoom("!a:test.local")
                .hasInviteTo("!b:test.local")
                .hasTimelineEvent("!a:test.local", "m.room.message", "hi")
                .hasTimelineEventOfType("!a:test.local", "m.room.member")
                .hasNoTimelineEvents("!b:test.local")
                .timeline("!a:test.local")
                .hasSize(2);
        assertThat(SYNC.nextBatch()).isEqualTo("s9");
        assertThat(SYNC.inviteState("!b:test.local"))
                .singleElement()
                .satisfies(e -> assertThat(e).hasType("m.room.name").hasContent("name", "B"));
    }

    @Test
    void syncAssertionFailuresSayWhatTheTimelineHeld() {
        assertThatThrownBy(() -> assertThat(SYNC).hasTimelineEvent("!a:test.local", "m.room.message", "bye"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("m.room.message with body \"bye\"")
                .hasMessageContaining("m.room.message from @bob:test.local \"hi\"");
        assertThatThrownBy(() -> assertThat(SYNC).hasLeftRoom("!a:test.local"))
                .hasMessageContaining("left rooms were []");
        assertThatThrownBy(() -> assertThat(SYNC).hasNoRoomUpdates()).hasMessageContaining("!a:test.local");
    }

    @Test
    void eventAssertions() {
        ClientEvent member = SYNC.timeline("!a:test.local").get(1);
        assertThat(member)
                .isMembership("@carol:test.local", "join")
                .hasSender("@carol:test.local")
                .hasEventId("$2");
        assertThat(member.isState()).isTrue();
        ClientEvent message = SYNC.timeline("!a:test.local").getFirst();
        assertThat(message).isTextMessage("hi");
        assertThat(message.isMessage("hi")).isTrue();
        assertThat(message.stateKey()).isEmpty();
        assertThatThrownBy(() -> assertThat(message).hasBody("ho"))
                .hasMessageContaining("expected body <ho> but was <hi>")
                .hasMessageContaining("\"event_id\":\"$1\"");
        assertThatThrownBy(() -> assertThat(message).hasStateKey("")).hasMessageContaining("not a state event");
        assertThatThrownBy(() -> new ClientEvent(json("[]"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void responseAssertions() {
        TestResponse forbidden = new TestResponse(403, Map.of(), "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"no\"}");
        assertThat(forbidden).hasStatus(403).hasErrcode("M_FORBIDDEN");
        assertThatThrownBy(() -> assertThat(forbidden).isOk())
                .hasMessageContaining("expected HTTP 200 but got 403: {\"errcode\":\"M_FORBIDDEN\"");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
