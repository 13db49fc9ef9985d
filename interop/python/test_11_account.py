"""Presence, avatars, OpenID tokens, push rules and nio's client-side room upgrade."""

import io

from nio import PushRuleKind
from nio import responses as r
from nio.events.account_data import PushNotify, PushRulesEvent, PushSetTweak

from harness import SERVER_NAME, check, ok, png, shared_room, sync, sync_until, unique


async def test_presence(t):
    """sets presence with a status message; the other member reads it and sees it through sync"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    await shared_room(t, alice, bob)
    await sync(bob)
    ok(await alice.set_presence("unavailable", "lunch"), r.PresenceSetResponse)
    got = ok(await bob.get_presence(alice.user_id), r.PresenceGetResponse)
    check(got.presence == "unavailable" and got.status_msg == "lunch", f"{got}")

    def alices(resp):
        return next((e for e in resp.presence_events if e.user_id == alice.user_id
                     and e.presence == "unavailable"), None)

    event = await sync_until(bob, alices, "alice's presence")
    check(event.status_msg == "lunch", f"{event}")


async def test_avatar(t):
    """uploads an avatar and sets it (set_avatar); get_avatar and get_profile return it"""
    alice = await t.user("alice")
    image = png(64, 64)
    up = ok((await alice.upload(io.BytesIO(image), "image/png", "a.png", filesize=len(image)))[0],
            r.UploadResponse)
    ok(await alice.set_avatar(up.content_uri), r.ProfileSetAvatarResponse)
    avatar = ok(await alice.get_avatar(), r.ProfileGetAvatarResponse)
    check(avatar.avatar_url == up.content_uri, f"{avatar}")
    profile = ok(await alice.get_profile(), r.ProfileGetResponse)
    check(profile.avatar_url == up.content_uri, f"{profile}")


async def test_openid(t):
    """issues an OpenID token (get_openid_token) for the user's own id"""
    alice = await t.user("alice")
    token = ok(await alice.get_openid_token(alice.user_id), r.GetOpenIDTokenResponse)
    check(token.access_token and token.token_type == "Bearer" and token.expires_in > 0,
          f"{token}")
    check(token.matrix_server_name == SERVER_NAME, f"{token.matrix_server_name}")


async def test_push_rules(t):
    """sets, disables, changes the actions of and deletes a push rule; sync shows each change"""
    alice = await t.user("alice")
    await sync(alice)
    ok(await alice.set_pushrule("global", PushRuleKind.content, "nio-cake", pattern="cake",
                                actions=[PushNotify(), PushSetTweak("sound", "default")]),
       r.SetPushRuleResponse)

    def rule(enabled=None):
        def found(resp):
            event = next((e for e in resp.account_data_events if isinstance(e, PushRulesEvent)),
                         None)
            rules = event.global_rules.content if event else []
            match = next((x for x in rules if x.id == "nio-cake"), None)
            return match if match and (enabled is None or match.enabled == enabled) else None
        return found

    cake = await sync_until(alice, rule(), "the new rule in the push rules")
    check(cake.pattern == "cake" and not cake.default and cake.enabled, f"{cake}")
    check(PushNotify() in cake.actions, f"notify: {cake.actions}")
    ok(await alice.enable_pushrule("global", PushRuleKind.content, "nio-cake", False),
       r.EnablePushRuleResponse)
    await sync_until(alice, rule(enabled=False), "the rule disabled")
    ok(await alice.set_pushrule_actions("global", PushRuleKind.content, "nio-cake",
                                        [PushNotify(), PushSetTweak("highlight", True)]),
       r.SetPushRuleActionsResponse)
    cake = await sync_until(alice, lambda resp: (x := rule()(resp)) and
                            PushSetTweak("highlight", True) in x.actions and x, "the new actions")
    check(not cake.enabled, "still disabled")
    ok(await alice.delete_pushrule("global", PushRuleKind.content, "nio-cake"),
       r.DeletePushRuleResponse)

    def gone(resp):
        event = next((e for e in resp.account_data_events if isinstance(e, PushRulesEvent)), None)
        return event and all(x.id != "nio-cake" for x in event.global_rules.content)

    await sync_until(alice, gone, "the rule gone")


async def test_room_upgrade(t):
    """upgrades a room the way nio does it: a new room with the copied state and a tombstone"""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob, name="old room", topic="kept")
    upgraded = ok(await alice.room_upgrade(room_id, "10"), r.RoomUpgradeResponse)
    new_id = upgraded.room_id
    check(new_id != room_id, "a new room")
    tombstone = await sync_until(bob, lambda resp: next((
        e for e in (resp.rooms.join[room_id].timeline.events if room_id in resp.rooms.join else [])
        if e.source.get("type") == "m.room.tombstone"), None), "the tombstone")
    check(tombstone.source["content"]["replacement_room"] == new_id, f"{tombstone.source}")
    name = ok(await alice.room_get_state_event(new_id, "m.room.name"), r.RoomGetStateEventResponse)
    check(name.content == {"name": "old room"}, f"the name copied: {name.content}")
    create = ok(await alice.room_get_state_event(new_id, "m.room.create"),
                r.RoomGetStateEventResponse)
    check(create.content.get("room_version") == "10", f"{create.content}")
    check(create.content.get("predecessor", {}).get("room_id") == room_id, f"{create.content}")


async def test_update_aliases(t):
    """sets a canonical alias with an alternative (room_update_aliases)"""
    alice = await t.user("alice")
    room_id = ok(await alice.room_create(), r.RoomCreateResponse).room_id
    main, alt = (f"#{unique(p)}:{SERVER_NAME}" for p in ("main", "alt"))
    for alias in (main, alt):
        ok(await alice.room_put_alias(alias, room_id), r.RoomPutAliasResponse)
    ok(await alice.room_update_aliases(room_id, canonical_alias=main, alt_aliases=[alt]),
       r.RoomUpdateAliasResponse)
    state = ok(await alice.room_get_state_event(room_id, "m.room.canonical_alias"),
               r.RoomGetStateEventResponse)
    check(state.content == {"alias": main, "alt_aliases": [alt]}, f"{state.content}")
