package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class SyncApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CREATED_STATE = List.of(
            "m.room.create|",
            "m.room.member|@alice:test.local",
            "m.room.power_levels|",
            "m.room.join_rules|",
            "m.room.history_visibility|",
            "m.room.guest_access|");

    @Test
    void initialSyncShowsTheRoomsStateAndTimeline(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("name", "Lobby"));
        String hello = alice.sendMessage(room, "hello");

        JsonNode sync = alice.sync(null, Map.of());

        JsonNode joined = sync.at("/rooms/join").get(room);
        List<String> expectedTimeline = new ArrayList<>(CREATED_STATE);
        expectedTimeline.add("m.room.name|");
        expectedTimeline.add("m.room.message");
        assertThat(keys(joined.at("/timeline/events"))).isEqualTo(expectedTimeline);
        assertThat(joined.at("/timeline/events/7/event_id").asText()).isEqualTo(hello);
        assertThat(joined.at("/timeline/events/7/content"))
                .isEqualTo(json("{\"msgtype\":\"m.text\",\"body\":\"hello\"}"));
        assertThat(joined.at("/timeline/events/7/sender").asText()).isEqualTo("@alice:test.local");
        assertThat(joined.at("/timeline/events/7").has("room_id"))
                .as("room_id is implied by the key")
                .isFalse();
        assertThat(joined.at("/timeline/limited").asBoolean()).isFalse();
        assertThat(joined.at("/state/events"))
                .as("the timeline starts at the create event")
                .isEmpty();
        assertThat(joined.get("summary"))
                .as("no m.heroes: the room has a name")
                .isEqualTo(json("{\"m.joined_member_count\":1,\"m.invited_member_count\":0}"));
        assertThat(joined.get("unread_notifications"))
                .isEqualTo(json("{\"notification_count\":0,\"highlight_count\":0}"));
        assertThat(joined.get("ephemeral")).isEqualTo(json("{\"events\":[]}"));
        assertThat(joined.get("account_data")).isEqualTo(json("{\"events\":[]}"));

        ObjectNode rest = sync.deepCopy();
        rest.remove("next_batch");
        ((ObjectNode) rest.get("rooms")).remove("join");
        assertThat(rest.at("/account_data/events/0/type").asText())
                .as("the default push rules")
                .isEqualTo("m.push_rules");
        assertThat(rest.at("/account_data/events/0/content/global/override")).isNotEmpty();
        ((ObjectNode) rest.get("account_data")).putArray("events");
        assertThat(rest.at("/presence/events"))
                .as("the sync marked alice online")
                .isEqualTo(json("""
                [{"type":"m.presence","sender":"@alice:test.local",
                  "content":{"presence":"online","last_active_ago":0,"currently_active":true}}]"""));
        ((ObjectNode) rest.get("presence")).putArray("events");
        assertThat(rest).isEqualTo(json("""
                {"account_data":{"events":[]},"device_lists":{"changed":[],"left":[]},
                 "device_one_time_keys_count":{"signed_curve25519":0},"device_unused_fallback_key_types":[],
                 "presence":{"events":[]},"rooms":{"invite":{},"knock":{},"leave":{}},"to_device":{"events":[]}}"""));
        assertThat(sync.get("next_batch").asText()).matches("s\\d+_\\d+_\\d+_\\d+_\\d+_\\d+_\\d+");
    }

    @Test
    void incrementalSyncShowsOnlyWhatIsNew(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "old");
        String since = alice.sync(null, Map.of()).get("next_batch").asText();

        JsonNode nothing = alice.sync(since, Map.of());
        assertThat(nothing.at("/rooms/join")).isEmpty();
        assertThat(nothing.get("next_batch").asText()).isEqualTo(since);

        String fresh = alice.sendMessage(room, "new");
        JsonNode sync = alice.sync(since, Map.of());
        JsonNode joined = sync.at("/rooms/join").get(room);
        assertThat(ids(joined.at("/timeline/events"))).containsExactly(fresh);
        assertThat(joined.at("/timeline/limited").asBoolean()).isFalse();
        assertThat(joined.at("/state/events")).isEmpty();
        assertThat(sync.get("next_batch").asText()).isNotEqualTo(since);
        assertThat(alice.sync(sync.get("next_batch").asText(), Map.of()).at("/rooms/join"))
                .isEmpty();
    }

    @Test
    void limitedTimelineCarriesStateAtItsStartAndAPrevBatchToken(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String since = alice.sync(null, Map.of()).get("next_batch").asText();
        Memberships.state(
                hs, room, alice.userId(), "m.room.topic", "", NODES.objectNode().put("topic", "news"));
        alice.sendMessage(room, "one");
        String two = alice.sendMessage(room, "two");
        String three = alice.sendMessage(room, "three");
        String filter = "{\"room\":{\"timeline\":{\"limit\":2}}}";

        JsonNode initial =
                alice.sync(null, Map.of("filter", filter)).at("/rooms/join").get(room);
        assertThat(ids(initial.at("/timeline/events"))).containsExactly(two, three);
        assertThat(initial.at("/timeline/limited").asBoolean()).isTrue();
        List<String> fullState = new ArrayList<>(CREATED_STATE);
        fullState.add("m.room.topic|");
        assertThat(keys(initial.at("/state/events"))).isEqualTo(fullState);
        RoomPosition prev = RoomTokens.decode(initial.at("/timeline/prev_batch").asText());
        RoomPosition first = hs.homeserver()
                .testSeam()
                .event(dev.myelin.core.id.EventId.parse(two))
                .orElseThrow()
                .position();
        assertThat(prev).isEqualTo(first.before());
        assertThat(initial.at("/timeline/prev_batch").asText()).isEqualTo(RoomTokens.encode(first.before()));

        JsonNode incremental =
                alice.sync(since, Map.of("filter", filter)).at("/rooms/join").get(room);
        assertThat(ids(incremental.at("/timeline/events"))).containsExactly(two, three);
        assertThat(incremental.at("/timeline/limited").asBoolean()).isTrue();
        assertThat(keys(incremental.at("/state/events")))
                .as("only the state that changed since the token")
                .containsExactly("m.room.topic|");
    }

    @Test
    void aTimelineHoldingTheWholeRoomGivesAPrevBatchThatPaginatesItAgain(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String message = alice.sendMessage(room, "hello");

        JsonNode timeline =
                alice.sync(null, Map.of()).at("/rooms/join").get(room).get("timeline");
        assertThat(timeline.get("limited").asBoolean()).isFalse();
        assertThat(ids(timeline.get("events"))).last().isEqualTo(message);
        JsonNode page = alice.get("/_matrix/client/v3/rooms/" + room + "/messages?dir=b&limit=100&from="
                        + timeline.get("prev_batch").asText())
                .expect(200)
                .json();
        assertThat(ids(page.get("chunk"))).first().isEqualTo(message);
        assertThat(ids(page.get("chunk"))).hasSize(timeline.get("events").size());
        assertThat(page.has("end")).isTrue();
        JsonNode past = alice.get("/_matrix/client/v3/rooms/" + room + "/messages?dir=b&from="
                        + page.get("end").asText())
                .expect(200)
                .json();
        assertThat(past.get("chunk")).isEmpty();
        assertThat(past.has("end")).isFalse();
    }

    @Test
    void fullStateRepeatsAllStateOnIncrementalSyncs(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String since = alice.sync(null, Map.of()).get("next_batch").asText();
        JsonNode joined = alice.sync(since, Map.of("full_state", "true"))
                .at("/rooms/join")
                .get(room);
        assertThat(keys(joined.at("/state/events"))).isEqualTo(CREATED_STATE);
        assertThat(joined.at("/timeline/events")).isEmpty();
    }

    @Test
    void longPollReturnsAsSoonAsAMessageArrivesInTheUsersRoomOnly(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(null);
        String elsewhere = carol.createRoom(null);
        String since = alice.sync(null, Map.of()).get("next_batch").asText();

        CompletableFuture<TestResponse> poll = longPoll(alice, since, 30_000);
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        carol.sendMessage(elsewhere, "not for alice");
        // A wake happens inside the sender's request, so the poll would already be on its way out;
        // time passing up to just before its timeout wakes nothing either.
        assertThat(poll).as("an unrelated room does not wake the sync").isNotDone();
        assertThat(hs.clock().advance(Duration.ofMillis(29_999))).isEmpty();
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        assertThat(poll).isNotDone();

        String hello = alice.sendMessage(room, "hello");
        JsonNode sync = poll.get(10, TimeUnit.SECONDS).expect(200).json();
        assertThat(ids(sync.at("/rooms/join").get(room).at("/timeline/events"))).containsExactly(hello);
        assertThat(sync.at("/rooms/join").has(elsewhere)).isFalse();
    }

    @Test
    void longPollReturnsEmptyWhenTheTimeoutPassesOnTheClock(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        alice.createRoom(null);
        String since = alice.sync(null, Map.of()).get("next_batch").asText();

        CompletableFuture<TestResponse> poll = longPoll(alice, since, 30_000);
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        // the poll can only end by a wake or by its timer: nothing wakes it, and its timer does not fire
        assertThat(hs.clock().advance(Duration.ofMillis(29_999)))
                .as("threads woken")
                .isEmpty();
        assertThat(poll).isNotDone();
        hs.clock().advance(Duration.ofMillis(1));
        JsonNode sync = poll.get(10, TimeUnit.SECONDS).expect(200).json();
        assertThat(sync.at("/rooms/join")).isEmpty();
        assertThat(sync.get("next_batch").asText()).isEqualTo(since);
    }

    @Test
    void invitesShowStrippedStateAndTheInvite(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("name", "Secret"));
        String bobSince = bob.sync(null, Map.of()).get("next_batch").asText();
        String invite = Memberships.invite(hs, room, alice.userId(), bob.userId());

        JsonNode sync = bob.sync(bobSince, Map.of());
        JsonNode events = sync.at("/rooms/invite").get(room).at("/invite_state/events");
        assertThat(keys(events))
                .containsExactly(
                        "m.room.create|",
                        "m.room.join_rules|",
                        "m.room.name|",
                        "m.room.member|@alice:test.local",
                        "m.room.member|@bob:test.local");
        assertThat(events.get(2))
                .isEqualTo(json("{\"type\":\"m.room.name\",\"state_key\":\"\","
                        + "\"content\":{\"name\":\"Secret\"},\"sender\":\"@alice:test.local\"}"));
        assertThat(events.get(3).at("/content/membership").asText())
                .as("the inviter's membership")
                .isEqualTo("join");
        assertThat(events.get(4).get("event_id").asText()).isEqualTo(invite);
        assertThat(events.get(4).at("/content/membership").asText()).isEqualTo("invite");
        assertThat(bob.sync(null, Map.of()).at("/rooms/invite").has(room))
                .as("initial sync too")
                .isTrue();

        String afterInvite = sync.get("next_batch").asText();
        Memberships.join(hs, room, bob.userId());
        JsonNode joined = bob.sync(afterInvite, Map.of()).at("/rooms/join").get(room);
        List<String> history = new ArrayList<>(CREATED_STATE);
        history.addAll(List.of("m.room.name|", "m.room.member|@bob:test.local", "m.room.member|@bob:test.local"));
        assertThat(keys(joined.at("/timeline/events")))
                .as("a newly joined room comes with its history, as in an initial sync")
                .isEqualTo(history);
        assertThat(joined.at("/state/events"))
                .as("the timeline reaches back to the create event, so no state precedes it")
                .isEmpty();
        assertThat(joined.get("summary")).isEqualTo(json("{\"m.joined_member_count\":2,\"m.invited_member_count\":0}"));
    }

    @Test
    void leavingShowsTheRoomUnderLeaveUpToTheLeave(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        Memberships.join(hs, room, bob.userId());
        String since = bob.sync(null, Map.of()).get("next_batch").asText();
        String said = alice.sendMessage(room, "bye bob");
        String left = Memberships.leave(hs, room, bob.userId());
        alice.sendMessage(room, "after bob left");

        JsonNode sync = bob.sync(since, Map.of());
        assertThat(sync.at("/rooms/join").has(room)).isFalse();
        JsonNode entry = sync.at("/rooms/leave").get(room);
        assertThat(ids(entry.at("/timeline/events"))).containsExactly(said, left);
        assertThat(entry.at("/state/events")).isEmpty();

        assertThat(bob.sync(null, Map.of()).at("/rooms/leave"))
                .as("left rooms only with include_leave")
                .isEmpty();
        JsonNode withLeave = bob.sync(null, Map.of("filter", "{\"room\":{\"include_leave\":true}}"));
        assertThat(ids(withLeave.at("/rooms/leave").get(room).at("/timeline/events")))
                .endsWith(said, left);
    }

    @Test
    void aForgottenRoomLeavesTheLeaveSection(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String kept = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        Memberships.join(hs, room, bob.userId());
        Memberships.join(hs, kept, bob.userId());
        String since = bob.sync(null, Map.of()).get("next_batch").asText();
        Memberships.leave(hs, room, bob.userId());
        Memberships.leave(hs, kept, bob.userId());
        bob.post("/_matrix/client/v3/rooms/" + encode(room) + "/forget", NODES.objectNode())
                .expect(200);

        Map<String, String> withLeave = Map.of("filter", "{\"room\":{\"include_leave\":true}}");
        assertThat(fieldNames(bob.sync(null, withLeave).at("/rooms/leave")))
                .as("an initial sync with include_leave, as on Synapse")
                .containsExactly(kept);
        assertThat(fieldNames(bob.sync(since, Map.of()).at("/rooms/leave")))
                .as("an incremental sync over the leave and the forget")
                .containsExactly(kept);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void timelineTypeFiltersAndStoredFilters(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String hello = alice.sendMessage(room, "hello");
        ObjectNode filter = (ObjectNode) json("{\"room\":{\"timeline\":{\"types\":[\"m.room.mess*\"],\"limit\":5},"
                + "\"state\":{\"types\":[\"m.room.create\"]}},\"event_fields\":[\"type\",\"content.body\"]}");
        String id = alice.post("/_matrix/client/v3/user/" + TestClient.encode(alice.userId()) + "/filter", filter)
                .expect(200)
                .json()
                .get("filter_id")
                .asText();
        assertThat(alice.get("/_matrix/client/v3/user/" + TestClient.encode(alice.userId()) + "/filter/" + id)
                        .expect(200)
                        .json())
                .isEqualTo(filter);

        JsonNode joined =
                alice.sync(null, Map.of("filter", id)).at("/rooms/join").get(room);
        assertThat(joined.at("/timeline/events"))
                .isEqualTo(json("[{\"type\":\"m.room.message\",\"content\":{\"body\":\"hello\"}}]"));
        assertThat(joined.at("/timeline/limited").asBoolean()).isFalse();
        assertThat(joined.at("/state/events"))
                .as("the filtered-out state before the message, creation only")
                .isEqualTo(json("[{\"type\":\"m.room.create\"}]"));
        assertThat(hello).isNotEmpty();
    }

    @Test
    void lazyLoadingSendsOnlyTheMembersOfTimelineSenders(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        Memberships.join(hs, room, bob.userId());
        Memberships.join(hs, room, carol.userId());
        bob.sendMessage(room, "one");
        bob.sendMessage(room, "two");

        JsonNode joined = alice.sync(
                        null,
                        Map.of(
                                "filter",
                                "{\"room\":{\"timeline\":{\"limit\":2},\"state\":{\"lazy_load_members\":true}}}"))
                .at("/rooms/join")
                .get(room);
        assertThat(keys(joined.at("/state/events")).stream()
                        .filter(k -> k.startsWith("m.room.member"))
                        .toList())
                .containsExactlyInAnyOrder("m.room.member|@alice:test.local", "m.room.member|@bob:test.local");
        assertThat(joined.get("summary"))
                .isEqualTo(json("{\"m.heroes\":[\"@bob:test.local\",\"@carol:test.local\"],"
                        + "\"m.joined_member_count\":3,\"m.invited_member_count\":0}"));
    }

    @Test
    void rejectsBadParameters(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String base = "/_matrix/client/v3/sync?";
        assertError(alice.get(base + "since=garbage"), 400, "M_INVALID_PARAM");
        assertError(alice.get(base + "since=s1_2"), 400, "M_INVALID_PARAM");
        assertError(alice.get(base + "since=s-1_0_0_0_0_0"), 400, "M_INVALID_PARAM");
        assertError(alice.get(base + "timeout=soon"), 400, "M_INVALID_PARAM");
        assertError(alice.get(base + "timeout=-5"), 400, "M_INVALID_PARAM");
        assertError(alice.get(base + "full_state=yes"), 400, "M_INVALID_PARAM");
        assertError(alice.get(base + "set_presence=busy"), 400, "M_INVALID_PARAM");
        assertError(alice.get(base + "filter=" + TestClient.encode("{not json")), 400, "M_NOT_JSON");
        assertError(
                alice.get(base + "filter=" + TestClient.encode("{\"room\":{\"timeline\":{\"limit\":\"ten\"}}}")),
                400,
                "M_BAD_JSON");
        assertError(
                alice.get(base + "filter=" + TestClient.encode("{\"room\":{\"timeline\":{\"limit\":-1}}}")),
                400,
                "M_BAD_JSON");
        assertError(
                alice.get(base + "filter=" + TestClient.encode("{\"room\":{\"rooms\":[\"nope\"]}}")),
                400,
                "M_BAD_JSON");
        assertError(alice.get(base + "filter=" + TestClient.encode("{\"event_format\":\"xml\"}")), 400, "M_BAD_JSON");
        assertError(alice.get(base + "filter=42"), 400, "M_INVALID_PARAM");
        assertError(alice.get(base + "filter=abc"), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().get(base), 401, "M_MISSING_TOKEN");

        String filters = "/_matrix/client/v3/user/" + TestClient.encode(alice.userId()) + "/filter";
        assertError(alice.post(filters, json("{\"presence\":{\"types\":[1]}}")), 400, "M_BAD_JSON");
        assertError(alice.post(filters, "[]"), 400, "M_BAD_JSON");
        assertError(alice.post(filters, "{"), 400, "M_NOT_JSON");
        assertError(
                alice.post(filters, json("{\"room\":{\"timeline\":{\"unread_thread_notifications\":\"yes\"}}}")),
                400,
                "M_BAD_JSON");
        assertError(
                alice.get(base + "filter=" + TestClient.encode("{\"room\":{\"state\":{\"contains_url\":1}}}")),
                400,
                "M_BAD_JSON");
        assertError(alice.post("/_matrix/client/v3/user/%40bob%3Atest.local/filter", json("{}")), 403, "M_FORBIDDEN");
        assertError(alice.get(filters + "/7"), 404, "M_NOT_FOUND");
        assertError(alice.get(filters + "/x"), 400, "M_INVALID_PARAM");
        assertError(alice.get("/_matrix/client/v3/user/%40bob%3Atest.local/filter/0"), 403, "M_FORBIDDEN");
    }

    @Test
    void aTokenFromTheFutureIsClampedToNow(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        JsonNode sync = alice.sync("s999999_999999_999999_999999_999999_999999_7", Map.of());
        assertThat(sync.at("/rooms/join").has(room)).isFalse();
        assertThat(sync.get("next_batch").asText())
                .isEqualTo(alice.sync(null, Map.of()).get("next_batch").asText());
    }

    @Test
    void aUserWhoJoinsAJoinedVisibilityRoomDoesNotSeeEarlierMessages(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.sendState(
                room, "m.room.history_visibility", "", NODES.objectNode().put("history_visibility", "joined"));
        alice.sendMessage(room, "before bob");
        String bobSince = bob.sync(null, Map.of()).get("next_batch").asText();
        String join = bob.join(room).expect(200).json().get("room_id").asText();
        String after = alice.sendMessage(room, "after bob");

        for (JsonNode sync : List.of(bob.sync(null, Map.of()), bob.sync(bobSince, Map.of()))) {
            JsonNode timeline = sync.at("/rooms/join").get(join).at("/timeline/events");
            // what was sent while the room was "shared" stays visible; "before bob" was sent under "joined"
            assertThat(bodies(timeline)).as(timeline.toString()).containsExactly("after bob");
            assertThat(keys(timeline)).contains("m.room.member|@bob:test.local");
            assertThat(ids(timeline).getLast()).isEqualTo(after);
        }
        assertThat(bodies(alice.sync(null, Map.of()).at("/rooms/join").get(room).at("/timeline/events")))
                .as("alice was joined throughout")
                .containsExactly("before bob", "after bob");

        alice.sendMessage(room, "while bob is away");
        Memberships.leave(hs, room, bob.userId());
        alice.sendMessage(room, "after bob left");
        JsonNode left = bob.sync(null, Map.of("filter", "{\"room\":{\"include_leave\":true}}"))
                .at("/rooms/leave")
                .get(room)
                .at("/timeline/events");
        assertThat(bodies(left)).as(left.toString()).containsExactly("after bob", "while bob is away");
        assertThat(left.get(left.size() - 1).at("/content/membership").asText()).isEqualTo("leave");
    }

    private static List<String> bodies(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> {
            if (e.get("type").asText().equals("m.room.message")) {
                out.add(e.at("/content/body").asText());
            }
        });
        return out;
    }

    @Test
    void pushRulesAreInTheInitialSyncAndCannotBeWrittenAsAccountData(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        JsonNode initial = alice.sync(null, Map.of()).at("/account_data/events");
        assertThat(keys(initial)).containsExactly("m.push_rules");
        assertThat(initial.at("/0/content/global/underride")).isNotEmpty();
        String since = alice.sync(null, Map.of()).get("next_batch").asText();
        assertThat(alice.sync(since, Map.of()).at("/account_data/events"))
                .as("nothing changed")
                .isEmpty();

        assertError(
                alice.put(
                        "/_matrix/client/v3/user/" + TestClient.encode(alice.userId()) + "/account_data/m.push_rules",
                        NODES.objectNode()),
                405,
                "M_BAD_JSON");
        alice.put(
                        "/_matrix/client/v3/pushrules/global/content/cats",
                        json("{\"pattern\":\"cat\",\"actions\":[\"notify\"]}"))
                .expect(200);
        JsonNode changed = alice.sync(since, Map.of()).at("/account_data/events");
        assertThat(keys(changed)).containsExactly("m.push_rules");
        assertThat(changed.at("/0/content/global/content").toString()).contains("\"rule_id\":\"cats\"");
        assertThat(changed.at("/0/content/global/override"))
                .as("the defaults are merged in")
                .isNotEmpty();
        assertThat(alice.sync(null, Map.of("filter", "{\"account_data\":{\"not_types\":[\"m.push_rules\"]}}"))
                        .at("/account_data/events"))
                .isEmpty();
    }

    @Test
    void aBigRoomWithNothingNewIsLeftOutOfAnIncrementalSync(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        for (int i = 0; i < 300; i++) {
            Memberships.join(hs, room, "@member" + i + ":test.local");
        }
        Memberships.invite(hs, room, alice.userId(), "@guest:test.local");
        JsonNode initial = alice.sync(null, Map.of());
        assertThat(initial.at("/rooms/join").get(room).get("summary")).isEqualTo(json("""
                {"m.heroes":["@member0:test.local","@member1:test.local","@member2:test.local",
                             "@member3:test.local","@member4:test.local"],
                 "m.joined_member_count":301,"m.invited_member_count":1}"""));
        String since = initial.get("next_batch").asText();

        JsonNode idle = alice.sync(since, Map.of());
        assertThat(idle.at("/rooms/join"))
                .as("no state is read for a room with nothing new")
                .isEmpty();
        assertThat(idle.get("next_batch").asText()).isEqualTo(since);

        alice.sendMessage(room, "hello all");
        JsonNode oneMessage = alice.sync(since, Map.of()).at("/rooms/join").get(room);
        assertThat(keys(oneMessage.at("/timeline/events"))).containsExactly("m.room.message");
        assertThat(oneMessage.at("/state/events")).isEmpty();
        assertThat(oneMessage.get("summary"))
                .as("unchanged since the last sync, so left out as the spec allows")
                .isEqualTo(json("{}"));

        String afterMessage = alice.sync(since, Map.of()).get("next_batch").asText();
        Memberships.join(hs, room, "@member300:test.local");
        JsonNode oneJoin = alice.sync(afterMessage, Map.of()).at("/rooms/join").get(room);
        assertThat(oneJoin.at("/summary/m.joined_member_count").asLong())
                .as("a membership change brings the summary back")
                .isEqualTo(302);
    }

    static CompletableFuture<TestResponse> longPoll(TestClient client, String since, long timeoutMs) {
        CompletableFuture<TestResponse> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(client.get(
                        "/_matrix/client/v3/sync?timeout=" + timeoutMs + "&since=" + TestClient.encode(since)));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }

    /** Each event as {@code type|state_key}, or just its type when it is not a state event. */
    static List<String> keys(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(
                e.has("state_key")
                        ? e.get("type").asText() + "|" + e.get("state_key").asText()
                        : e.get("type").asText()));
        return out;
    }

    static List<String> ids(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("event_id").asText()));
        return out;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
