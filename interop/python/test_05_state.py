"""Room state through matrix-nio: state events set and read back, name, topic, aliases."""

import nio
from nio import responses as r

from harness import SERVER_NAME, check, event_in, fails, ok, shared_room, sync, sync_until, unique


async def test_custom_state(t):
    """sets a custom state event with a state key, reads it back alone and in the whole state"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob)
    await sync(bob)
    put = ok(await alice.room_put_state(room_id, "dev.myelin.test", {"colour": "green"},
                                        state_key="leaf"), r.RoomPutStateResponse)
    got = ok(await bob.room_get_state_event(room_id, "dev.myelin.test", "leaf"),
             r.RoomGetStateEventResponse)
    check(got.content == {"colour": "green"}, f"{got.content}")
    fails(await bob.room_get_state_event(room_id, "dev.myelin.test", "other"),
          r.RoomGetStateEventError, "M_NOT_FOUND", 404)

    state = ok(await bob.room_get_state(room_id), r.RoomGetStateResponse).events
    leaf = [e for e in state if e["type"] == "dev.myelin.test" and e["state_key"] == "leaf"]
    check(len(leaf) == 1 and leaf[0]["event_id"] == put.event_id, f"the event in {leaf}")
    check({e["type"] for e in state} >= {"m.room.create", "m.room.member",
                                          "m.room.power_levels", "m.room.join_rules"},
          f"the room's state: {sorted({e['type'] for e in state})}")

    seen = await sync_until(bob, lambda resp: event_in(
        resp, room_id, lambda e: e.event_id == put.event_id), "the state event in the timeline")
    check(seen.source["state_key"] == "leaf" and seen.source["content"] == {"colour": "green"},
          f"{seen.source}")


async def test_name_and_topic(t):
    """renames the room and changes its topic; the other member's nio room follows"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob, name="first name", topic="first topic")
    await sync_until(bob, lambda resp: bob.rooms.get(room_id) and
                     bob.rooms[room_id].name == "first name", "the first name")
    ok(await alice.room_put_state(room_id, "m.room.name", {"name": "second name"}),
       r.RoomPutStateResponse)
    ok(await alice.update_room_topic(room_id, "second topic"), r.RoomPutStateResponse)
    await sync_until(bob, lambda resp: (bob.rooms[room_id].name, bob.rooms[room_id].topic) ==
                     ("second name", "second topic"), "the new name and topic")
    topic = ok(await bob.room_get_state_event(room_id, "m.room.topic"),
               r.RoomGetStateEventResponse)
    check(topic.content.get("topic") == "second topic", f"{topic.content}")
    check(bob.rooms[room_id].display_name == "second name", f"{bob.rooms[room_id].display_name}")

    # Bob may not change the name (power level 50 needed).
    fails(await bob.room_put_state(room_id, "m.room.name", {"name": "bob's"}),
          r.RoomPutStateError, "M_FORBIDDEN", 403)


async def test_aliases(t):
    """publishes an alias, resolves it, sets it as canonical and deletes it"""
    alice = await t.user("alice")
    room_id = ok(await alice.room_create(name="aliased"), r.RoomCreateResponse).room_id
    alias = f"#{unique('nio')}:{SERVER_NAME}"
    ok(await alice.room_put_alias(alias, room_id), r.RoomPutAliasResponse)
    resolved = ok(await alice.room_resolve_alias(alias), r.RoomResolveAliasResponse)
    check(resolved.room_id == room_id and SERVER_NAME in resolved.servers, f"{resolved}")
    ok(await alice.room_put_state(room_id, "m.room.canonical_alias", {"alias": alias}),
       r.RoomPutStateResponse)
    await sync_until(alice, lambda resp: alice.rooms.get(room_id) and
                     alice.rooms[room_id].canonical_alias == alias, "the canonical alias")
    ok(await alice.room_delete_alias(alias), r.RoomDeleteAliasResponse)
    fails(await alice.room_resolve_alias(alias), r.RoomResolveAliasError, "M_NOT_FOUND", 404)
    visibility = ok(await alice.room_get_visibility(room_id), r.RoomGetVisibilityResponse)
    check(visibility.visibility == "private", f"{visibility}")


async def test_power_levels(t):
    """raises a member's power level, after which that member may rename the room"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob)
    levels = ok(await alice.room_get_state_event(room_id, "m.room.power_levels"),
                r.RoomGetStateEventResponse).content
    levels["users"][bob.user_id] = 50
    ok(await alice.room_put_state(room_id, "m.room.power_levels", levels), r.RoomPutStateResponse)
    await sync_until(bob, lambda resp: bob.rooms.get(room_id) and
                     bob.rooms[room_id].power_levels.get_user_level(bob.user_id) == 50,
                     "bob's new power level")
    check(bob.rooms[room_id].power_levels.can_user_send_state(bob.user_id, "m.room.name"),
          "nio lets bob rename the room")
    ok(await bob.room_put_state(room_id, "m.room.name", {"name": "bob's"}), r.RoomPutStateResponse)
    await sync_until(alice, lambda resp: event_in(
        resp, room_id, lambda e: isinstance(e, nio.RoomNameEvent) and e.name == "bob's"),
        "bob's name for the room")
