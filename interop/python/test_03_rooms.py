"""Rooms and messages through matrix-nio: create, invite, join, send and receive through sync."""

import nio
from nio import responses as r

from harness import check, event_in, fails, ok, shared_room, sync, sync_until


async def test_create_invite_join(t):
    """creates a named room with a topic, invites a user, who sees the invite and joins"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    await sync(bob)
    created = ok(await alice.room_create(
        name="nio room", topic="a topic", invite=[bob.user_id]), r.RoomCreateResponse)
    room_id = created.room_id

    def invited(resp):
        return resp.rooms.invite.get(room_id)

    invite = await sync_until(bob, invited, "the invite")
    inviter = next((e for e in invite.invite_state
                    if isinstance(e, nio.InviteMemberEvent) and e.state_key == bob.user_id), None)
    check(inviter and inviter.sender == alice.user_id and inviter.membership == "invite",
          f"bob's invite from alice in {invite.invite_state}")
    check(bob.invited_rooms[room_id].name == "nio room", "the room's name in the invite state")

    ok(await bob.join(room_id), r.JoinResponse)
    await sync_until(bob, lambda resp: room_id in resp.rooms.join, "the joined room")
    room = bob.rooms[room_id]
    check(room.name == "nio room" and room.topic == "a topic", f"{room.name!r} {room.topic!r}")
    check(set(room.users) == {alice.user_id, bob.user_id}, f"members {sorted(room.users)}")
    members = ok(await alice.joined_members(room_id), r.JoinedMembersResponse).members
    check({m.user_id for m in members} == {alice.user_id, bob.user_id}, f"{members}")
    joined = ok(await bob.joined_rooms(), r.JoinedRoomsResponse).rooms
    check(joined == [room_id], f"bob's joined rooms {joined}")


async def test_messages(t):
    """sends messages both ways and each side receives them through sync, with event ids"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob)
    await sync(alice)
    await sync(bob)

    sent = ok(await alice.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "hello bob", "format": "org.matrix.custom.html",
        "formatted_body": "<b>hello</b> bob", "dev.myelin.custom": [1, 2]}), r.RoomSendResponse)
    got = await sync_until(bob, lambda resp: event_in(
        resp, room_id, lambda e: e.event_id == sent.event_id), "alice's message")
    check(isinstance(got, nio.RoomMessageText), f"a RoomMessageText, got {got}")
    check(got.sender == alice.user_id and got.body == "hello bob", f"{got}")
    check(got.formatted_body == "<b>hello</b> bob", f"formatted body {got.formatted_body}")
    check(got.source["content"]["dev.myelin.custom"] == [1, 2], f"{got.source}")

    notice = ok(await bob.room_send(room_id, "m.room.message", {
        "msgtype": "m.notice", "body": "hello alice"}), r.RoomSendResponse)
    got = await sync_until(alice, lambda resp: event_in(
        resp, room_id, lambda e: e.event_id == notice.event_id), "bob's notice")
    check(isinstance(got, nio.RoomMessageNotice) and got.body == "hello alice", f"{got}")

    fetched = ok(await bob.room_get_event(room_id, sent.event_id), r.RoomGetEventResponse)
    check(fetched.event.body == "hello bob", f"{fetched.event}")


async def test_transaction_id(t):
    """a send retried with the same transaction id gives the same event, once"""
    alice = await t.user("alice")
    room_id = ok(await alice.room_create(), r.RoomCreateResponse).room_id
    await sync(alice)
    first = ok(await alice.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "once"}, tx_id="nio-txn-1"), r.RoomSendResponse)
    again = ok(await alice.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "once"}, tx_id="nio-txn-1"), r.RoomSendResponse)
    check(first.event_id == again.event_id, f"{first.event_id} then {again.event_id}")
    resp = await sync(alice)
    bodies = [e.body for e in resp.rooms.join[room_id].timeline.events
              if isinstance(e, nio.RoomMessageText)]
    check(bodies == ["once"], f"the timeline has {bodies}")


async def test_redact_and_leave(t):
    """redacts a message (bob sees the redaction) and leaves and forgets the room"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob)
    await sync(bob)
    sent = ok(await alice.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "oops"}), r.RoomSendResponse)
    ok(await alice.room_redact(room_id, sent.event_id, reason="typo"), r.RoomRedactResponse)
    redaction = await sync_until(bob, lambda resp: event_in(
        resp, room_id, lambda e: isinstance(e, nio.RedactionEvent)), "the redaction")
    check(redaction.redacts == sent.event_id and redaction.reason == "typo", f"{redaction}")
    fetched = ok(await bob.room_get_event(room_id, sent.event_id), r.RoomGetEventResponse)
    check(isinstance(fetched.event, nio.RedactedEvent), f"a RedactedEvent, got {fetched.event}")

    ok(await bob.room_leave(room_id), r.RoomLeaveResponse)
    await sync_until(bob, lambda resp: room_id in resp.rooms.leave, "the left room")
    ok(await bob.room_forget(room_id), r.RoomForgetResponse)
    check(room_id not in bob.rooms, "nio drops the forgotten room")
    fails(await bob.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": "x"}),
          r.RoomSendError, "M_FORBIDDEN", 403)


async def test_display_name(t):
    """sets a display name (set_displayname) that the other member's room shows"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob)
    await sync(bob)
    ok(await alice.set_displayname("Alice Nio"), r.ProfileSetDisplayNameResponse)
    name = ok(await bob.get_displayname(alice.user_id), r.ProfileGetDisplayNameResponse)
    check(name.displayname == "Alice Nio", f"{name}")
    await sync_until(bob, lambda resp: bob.rooms[room_id].user_name(alice.user_id) == "Alice Nio",
                     "alice's new name in the room")
    profile = ok(await bob.get_profile(alice.user_id), r.ProfileGetResponse)
    check(profile.displayname == "Alice Nio", f"{profile}")
