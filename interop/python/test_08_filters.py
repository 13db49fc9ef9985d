"""Sync filters through matrix-nio: uploaded (upload_filter) and inline."""

import nio
from nio import responses as r

from harness import check, ok, raw, sync


async def busy_room(t):
    alice = await t.user("alice")
    room_id = ok(await alice.room_create(name="filtered", topic="t"), r.RoomCreateResponse).room_id
    for i in range(5):
        ok(await alice.room_send(room_id, "m.room.message", {
            "msgtype": "m.text", "body": f"msg {i}"}), r.RoomSendResponse)
        ok(await alice.room_send(room_id, "dev.myelin.other", {"n": i}), r.RoomSendResponse)
    return alice, room_id


async def test_uploaded_filter(t):
    """uploads a filter, reads it back, and a sync with its id applies it"""
    alice, room_id = await busy_room(t)
    room_filter = {"timeline": {"limit": 3, "types": ["m.room.message"]},
                   "state": {"types": ["m.room.name"]}}
    uploaded = ok(await alice.upload_filter(room=room_filter, presence={"types": []}),
                  r.UploadFilterResponse)
    check(uploaded.filter_id, "a filter id")
    resp = await alice.send("GET", f"/_matrix/client/r0/user/{alice.user_id}/filter/"
                            f"{uploaded.filter_id}?access_token={alice.access_token}")
    check(resp.status == 200, f"GET the filter: {resp.status}")
    stored = await resp.json()
    check(stored.get("room") == room_filter, f"the filter back: {stored}")

    synced = await sync(alice, sync_filter=uploaded.filter_id)
    room = synced.rooms.join[room_id]
    bodies = [e.body for e in room.timeline.events]
    check(bodies == ["msg 2", "msg 3", "msg 4"], f"the last three messages only: {room.timeline.events}")
    check(room.timeline.limited, "limited")
    state_types = {e.source["type"] for e in room.state}
    check(state_types <= {"m.room.name"}, f"only the name in the state: {state_types}")
    check(alice.rooms[room_id].name == "filtered", f"{alice.rooms[room_id].name}")


async def test_inline_filter(t):
    """an inline filter with not_types and a limit, and one that leaves rooms out"""
    alice, room_id = await busy_room(t)
    resp = await sync(alice, sync_filter={"room": {"timeline": {
        "limit": 4, "not_types": ["m.room.message"]}}})
    events = resp.rooms.join[room_id].timeline.events
    check(len(events) == 4 and all(e.source["type"] != "m.room.message" for e in events),
          f"four events, none a message: {[e.source['type'] for e in events]}")
    check(isinstance(events[-1], nio.UnknownEvent) and events[-1].type == "dev.myelin.other",
          f"the custom type last: {events[-1]}")
    resp = await sync(alice, since="", sync_filter={"room": {"not_rooms": [room_id]}})
    check(room_id not in resp.rooms.join, "not_rooms leaves the room out")


async def test_event_fields(t):
    """event_fields keeps only the fields it names"""
    alice, room_id = await busy_room(t)
    uploaded = ok(await alice.upload_filter(event_fields=["type", "content.body"],
                                            room={"timeline": {"limit": 2,
                                                               "types": ["m.room.message"]}}),
                  r.UploadFilterResponse)
    # nio parses such trimmed events only partly; the raw body says what the server sent.
    events = raw(await alice.sync(sync_filter=uploaded.filter_id))[
        "rooms"]["join"][room_id]["timeline"]["events"]
    check(events == [{"type": "m.room.message", "content": {"body": "msg 3"}},
                     {"type": "m.room.message", "content": {"body": "msg 4"}}], f"{events}")
