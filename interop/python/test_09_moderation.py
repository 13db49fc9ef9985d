"""Moderation through matrix-nio: kick, ban and unban, seen through the victim's sync."""

import nio
from nio import responses as r

from harness import check, fails, ok, sync, sync_until


def membership_in_left(resp, room_id, user_id):
    room = resp.rooms.leave.get(room_id)
    return room and next((e for e in room.timeline.events if isinstance(e, nio.RoomMemberEvent)
                          and e.state_key == user_id), None)


async def public_room(t):
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = ok(await alice.room_create(preset=nio.RoomPreset.public_chat), r.RoomCreateResponse).room_id
    ok(await bob.join(room_id), r.JoinResponse)
    await sync(bob)
    return alice, bob, room_id


async def test_kick(t):
    """kicks a member with a reason; the member sees it and may join again"""
    alice, bob, room_id = await public_room(t)
    ok(await alice.room_kick(room_id, bob.user_id, reason="calm down"), r.RoomKickResponse)
    kicked = await sync_until(bob, lambda resp: membership_in_left(resp, room_id, bob.user_id),
                              "the kick")
    check(kicked.membership == "leave" and kicked.sender == alice.user_id, f"{kicked}")
    check(kicked.content.get("reason") == "calm down", f"the reason: {kicked.content}")
    fails(await bob.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": "x"}),
          r.RoomSendError, "M_FORBIDDEN", 403)
    ok(await bob.join(room_id), r.JoinResponse)


async def test_ban_and_unban(t):
    """bans a member, who may not join again until unbanned"""
    alice, bob, room_id = await public_room(t)
    ok(await alice.room_ban(room_id, bob.user_id, reason="spam"), r.RoomBanResponse)
    banned = await sync_until(bob, lambda resp: membership_in_left(resp, room_id, bob.user_id),
                              "the ban")
    check(banned.membership == "ban" and banned.content.get("reason") == "spam", f"{banned}")
    fails(await bob.join(room_id), r.JoinError, "M_FORBIDDEN", 403)
    fails(await bob.room_kick(room_id, alice.user_id), r.RoomKickError, "M_FORBIDDEN", 403)

    ok(await alice.room_unban(room_id, bob.user_id), r.RoomUnbanResponse)
    await sync(alice)
    check(alice.rooms[room_id].users.get(bob.user_id) is None, "bob is no member after the unban")
    ok(await bob.join(room_id), r.JoinResponse)
    members = ok(await alice.joined_members(room_id), r.JoinedMembersResponse).members
    check(bob.user_id in [m.user_id for m in members], f"bob joined again: {members}")


async def test_members_only_moderation(t):
    """a member without power may not kick or ban; kicking a non-member is refused"""
    alice, bob, room_id = await public_room(t)
    carol = await t.user("carol")
    ok(await carol.join(room_id), r.JoinResponse)
    fails(await bob.room_ban(room_id, carol.user_id), r.RoomBanError, "M_FORBIDDEN", 403)
    stranger = await t.user("dave")
    fails(await alice.room_kick(room_id, stranger.user_id), r.RoomKickError, "M_FORBIDDEN", 403)
