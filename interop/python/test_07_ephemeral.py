"""Typing notifications, read receipts and read markers through matrix-nio, seen by another user."""

import nio
from nio import responses as r

from harness import check, ok, shared_room, sync, sync_until


def ephemeral(resp, room_id, cls):
    room = resp.rooms.join.get(room_id)
    return next((e for e in (room.ephemeral if room else []) if isinstance(e, cls)), None)


async def test_typing(t):
    """bob sees alice start typing (room_typing) and stop"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob)
    await sync(bob)
    ok(await alice.room_typing(room_id, True, timeout=20000), r.RoomTypingResponse)
    typing = await sync_until(bob, lambda resp: (e := ephemeral(resp, room_id, nio.TypingNoticeEvent))
                              and alice.user_id in e.users and e, "alice typing")
    check(typing.users == [alice.user_id], f"only alice types: {typing.users}")
    check(bob.rooms[room_id].typing_users == [alice.user_id], f"{bob.rooms[room_id].typing_users}")
    ok(await alice.room_typing(room_id, False), r.RoomTypingResponse)
    await sync_until(bob, lambda resp: (e := ephemeral(resp, room_id, nio.TypingNoticeEvent))
                     and e.users == [], "alice to stop typing")


async def test_receipts(t):
    """alice sees bob's read receipt (update_receipt_marker) on her message"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob)
    sent = ok(await alice.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "read me"}), r.RoomSendResponse)
    await sync(alice)
    ok(await bob.update_receipt_marker(room_id, sent.event_id), r.UpdateReceiptMarkerResponse)

    def bobs_receipt(resp):
        event = ephemeral(resp, room_id, nio.ReceiptEvent)
        return event and next((rc for rc in event.receipts if rc.user_id == bob.user_id), None)

    receipt = await sync_until(alice, bobs_receipt, "bob's receipt")
    check(receipt.event_id == sent.event_id and receipt.receipt_type == "m.read", f"{receipt}")
    check(receipt.timestamp > 0, f"a timestamp: {receipt}")
    check(alice.rooms[room_id].read_receipts[bob.user_id].event_id == sent.event_id,
          f"{alice.rooms[room_id].read_receipts}")


async def test_read_markers(t):
    """sets the fully read marker and a receipt at once (room_read_markers)"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob)
    sent = ok(await alice.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "mark me"}), r.RoomSendResponse)
    await sync(bob)
    await sync(alice)
    ok(await bob.room_read_markers(room_id, sent.event_id, sent.event_id),
       r.RoomReadMarkersResponse)

    def fully_read(resp):
        room = resp.rooms.join.get(room_id)
        return room and next((e for e in room.account_data if isinstance(e, nio.FullyReadEvent)),
                             None)

    marker = await sync_until(bob, fully_read, "bob's m.fully_read in the room account data")
    check(marker.event_id == sent.event_id, f"{marker}")
    receipt = await sync_until(alice, lambda resp: (e := ephemeral(resp, room_id, nio.ReceiptEvent))
                               and e, "bob's receipt")
    check(any(rc.user_id == bob.user_id and rc.event_id == sent.event_id
              for rc in receipt.receipts), f"{receipt.receipts}")
