"""History through matrix-nio: room_messages backwards and forwards with tokens, room_context."""

import nio
from nio import MessageDirection
from nio import responses as r

from harness import check, ok, sync

COUNT = 25


def texts(events):
    return [e.body for e in events if isinstance(e, nio.RoomMessageText)]


async def room_with_history(t):
    alice = await t.user("alice")
    room_id = ok(await alice.room_create(name="history"), r.RoomCreateResponse).room_id
    event_ids = []
    for i in range(COUNT):
        sent = ok(await alice.room_send(room_id, "m.room.message", {
            "msgtype": "m.text", "body": f"msg {i}"}), r.RoomSendResponse)
        event_ids.append(sent.event_id)
    return alice, room_id, event_ids


async def test_backwards_and_forwards(t):
    """pages back from a limited sync's prev_batch to the room's creation, and forwards"""
    alice, room_id, _ = await room_with_history(t)
    resp = await sync(alice, sync_filter={"room": {"timeline": {"limit": 5}}})
    room = resp.rooms.join[room_id]
    check(room.timeline.limited, "a limited timeline")
    check(texts(room.timeline.events) == [f"msg {i}" for i in range(COUNT - 5, COUNT)],
          f"the last five in the timeline: {texts(room.timeline.events)}")

    backwards = []
    token = room.timeline.prev_batch
    tokens = []
    for _ in range(20):
        page = ok(await alice.room_messages(room_id, token, limit=7), r.RoomMessagesResponse)
        check(page.start == token, f"a page starts at its from token: {page.start} {token}")
        check(len(page.chunk) <= 7, f"at most 7 events, got {len(page.chunk)}")
        backwards += page.chunk
        if not page.chunk or page.end is None:
            break
        token = page.end
        tokens.append(token)
    check(isinstance(backwards[-1], nio.RoomCreateEvent),
          f"paging back ends with m.room.create, got {backwards[-1]}")
    check(texts(backwards) == [f"msg {i}" for i in reversed(range(COUNT - 5))],
          f"newest first and complete: {texts(backwards)}")

    # Forwards from where the first backwards page ended: its seven again, then the five of
    # the sync's timeline.
    forwards = []
    token = tokens[0]
    for _ in range(20):
        page = ok(await alice.room_messages(room_id, token, direction=MessageDirection.front,
                                            limit=5), r.RoomMessagesResponse)
        forwards += page.chunk
        if not page.chunk or page.end is None:
            break
        token = page.end
    check(texts(forwards) == [f"msg {i}" for i in range(COUNT - 12, COUNT)],
          f"oldest first and complete: {texts(forwards)}")


async def test_between_tokens(t):
    """room_messages with an end token stops there; a sync's next_batch pages forwards to new events"""
    alice, room_id, _ = await room_with_history(t)
    resp = await sync(alice, sync_filter={"room": {"timeline": {"limit": 1}}})
    since = resp.next_batch
    later = []
    for i in range(3):
        later.append(ok(await alice.room_send(room_id, "m.room.message", {
            "msgtype": "m.text", "body": f"later {i}"}), r.RoomSendResponse).event_id)
    page = ok(await alice.room_messages(room_id, since, direction=MessageDirection.front,
                                        limit=10), r.RoomMessagesResponse)
    check([e.event_id for e in page.chunk] == later, f"the three later ones: {texts(page.chunk)}")

    first = ok(await alice.room_messages(room_id, since, limit=4), r.RoomMessagesResponse)
    check(texts(first.chunk) == [f"msg {i}" for i in (24, 23, 22, 21)], f"{texts(first.chunk)}")
    bounded = ok(await alice.room_messages(room_id, since, end=first.end, limit=50),
                 r.RoomMessagesResponse)
    check(texts(bounded.chunk) == texts(first.chunk), f"up to the end token: {texts(bounded.chunk)}")


async def test_filtered_messages(t):
    """room_messages with a filter returns only the event types it names"""
    alice, room_id, _ = await room_with_history(t)
    ok(await alice.room_put_state(room_id, "m.room.topic", {"topic": "late topic"}),
       r.RoomPutStateResponse)
    resp = await sync(alice, sync_filter={"room": {"timeline": {"limit": 1}}})
    token = resp.rooms.join[room_id].timeline.prev_batch
    page = ok(await alice.room_messages(room_id, resp.next_batch, limit=30, message_filter={
        "types": ["m.room.topic", "m.room.name"]}), r.RoomMessagesResponse)
    check([type(e).__name__ for e in page.chunk] == ["RoomTopicEvent", "RoomNameEvent"],
          f"the topic and the name: {page.chunk}")
    check(token, "a prev_batch")


async def test_context(t):
    """room_context returns the events around one, both ways, with tokens"""
    alice, room_id, event_ids = await room_with_history(t)
    ctx = ok(await alice.room_context(room_id, event_ids[10], limit=4), r.RoomContextResponse)
    check(ctx.event.body == "msg 10", f"{ctx.event}")
    check(texts(ctx.events_before) == ["msg 9", "msg 8"], f"before: {texts(ctx.events_before)}")
    check(texts(ctx.events_after) == ["msg 11", "msg 12"], f"after: {texts(ctx.events_after)}")
    check(ctx.start and ctx.end, "both tokens")
    page = ok(await alice.room_messages(room_id, ctx.end, direction=MessageDirection.front,
                                        limit=2), r.RoomMessagesResponse)
    check(texts(page.chunk) == ["msg 13", "msg 14"], f"forwards from end: {texts(page.chunk)}")
    page = ok(await alice.room_messages(room_id, ctx.start, limit=2), r.RoomMessagesResponse)
    check(texts(page.chunk) == ["msg 7", "msg 6"], f"backwards from start: {texts(page.chunk)}")
    if ctx.state:
        check(any(isinstance(e, nio.RoomNameEvent) for e in ctx.state), "the name in the state")
