"""End-to-end encryption through matrix-nio and python-olm: device and one-time keys, an encrypted
room between two users, a second device, to-device messages. Every client has an olm store in
its test's temporary directory."""

import nio
from nio import responses as r
from nio.event_builders import ToDeviceMessage
from nio.exceptions import EncryptionError, OlmUnverifiedDeviceError

from harness import check, event_in, ok, raw, sync, sync_until

ENCRYPTION = {"type": "m.room.encryption", "state_key": "",
              "content": {"algorithm": "m.megolm.v1.aes-sha2"}}


async def encrypted_user(t, prefix, device_name):
    client = await t.user(prefix, device_name=device_name, encryption=True)
    check(client.olm is not None, "nio loaded its olm store")
    uploaded = ok(await client.keys_upload(), r.KeysUploadResponse)
    check(uploaded.signed_curve25519_count > 0, f"one-time keys counted: {uploaded}")
    return client


async def query_and_verify(client, *others):
    """keys_query for the users nio wants to know about, then marks the others' devices
    verified, checking that the keys the server returned are the ones each device has."""
    if client.should_query_keys:
        ok(await client.keys_query(), r.KeysQueryResponse)
    for other in others:
        device = client.device_store[other.user_id].get(other.device_id)
        check(device is not None, f"{other.user_id}'s {other.device_id} in "
                                  f"{list(client.device_store[other.user_id].keys())}")
        own = other.olm.account.identity_keys
        check(device.ed25519 == own["ed25519"] and device.curve25519 == own["curve25519"],
              f"the keys of {other.device_id} as uploaded")
        client.verify_device(device)
        check(client.device_store[other.user_id][other.device_id].verified, "verified")


async def encrypted_room(t, alice, *others):
    room_id = ok(await alice.room_create(name="secret", invite=[o.user_id for o in others],
                                         initial_state=[ENCRYPTION]), r.RoomCreateResponse).room_id
    for other in others:
        ok(await other.join(room_id), r.JoinResponse)
    for client in (alice, *others):
        await sync_until(client, lambda resp, c=client: c.rooms.get(room_id) and
                         c.rooms[room_id].encrypted and len(c.rooms[room_id].users) == 1 + len(others),
                         "the encrypted room with every member")
    return room_id


def decrypted(client, room_id, event_id):
    def found(resp):
        return event_in(resp, room_id, lambda e: e.event_id == event_id)
    return sync_until(client, found, f"event {event_id}")


async def test_keys(t):
    """uploads device and one-time keys; another user queries them and claims a one-time key"""
    alice = await encrypted_user(t, "alice", "nio alice")
    bob = await encrypted_user(t, "bob", "nio bob")
    alice.users_for_key_query.add(bob.user_id)
    query = ok(await alice.keys_query(), r.KeysQueryResponse)
    keys = query.device_keys[bob.user_id][bob.device_id]
    check(keys["algorithms"] and keys["keys"][f"ed25519:{bob.device_id}"]
          == bob.olm.account.identity_keys["ed25519"], f"bob's device keys: {keys}")
    check(keys.get("unsigned", {}).get("device_display_name") == "nio bob", f"{keys}")
    check(alice.device_store[bob.user_id][bob.device_id].display_name == "nio bob",
          "nio keeps the display name")
    claim = ok(await alice.keys_claim({bob.user_id: [bob.device_id]}), r.KeysClaimResponse)
    one_time = claim.one_time_keys[bob.user_id][bob.device_id]
    check(len(one_time) == 1 and next(iter(one_time)).startswith("signed_curve25519:"),
          f"one signed key: {one_time}")
    resp = await sync(bob)
    counts = resp.device_key_count
    check(counts.signed_curve25519 == bob.olm.account.max_one_time_keys // 2 - 1,
          f"one key fewer in bob's sync: {counts}")


async def test_conversation(t):
    """alice and bob verify each other's device and talk in an encrypted room, decrypting both ways"""
    alice = await encrypted_user(t, "alice", "nio alice")
    bob = await encrypted_user(t, "bob", "nio bob")
    room_id = await encrypted_room(t, alice, bob)
    await query_and_verify(alice, bob)
    await query_and_verify(bob, alice)

    missing = alice.get_missing_sessions(room_id)
    check(missing == {bob.user_id: [bob.device_id]}, f"an olm session needed with bob: {missing}")
    ok(await alice.keys_claim(missing), r.KeysClaimResponse)
    shared = ok(await alice.share_group_session(room_id), r.ShareGroupSessionResponse)
    check((bob.user_id, bob.device_id) in shared.users_shared_with, f"{shared.users_shared_with}")

    sent = ok(await alice.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "top secret"}), r.RoomSendResponse)
    raw_event = ok(await bob.room_get_event(room_id, sent.event_id), r.RoomGetEventResponse).event
    check(isinstance(raw_event, nio.MegolmEvent), f"the server holds ciphertext: {raw_event}")
    got = await decrypted(bob, room_id, sent.event_id)
    check(isinstance(got, nio.RoomMessageText) and got.body == "top secret", f"{got}")
    check(got.decrypted and got.verified, f"decrypted from a verified device: {got}")
    again = bob.decrypt_event(raw_event)
    check(isinstance(again, nio.RoomMessageText) and again.body == "top secret",
          f"the MegolmEvent from /event decrypts too: {again}")

    reply = ok(await bob.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "secret reply"}), r.RoomSendResponse)
    got = await decrypted(alice, room_id, reply.event_id)
    check(isinstance(got, nio.RoomMessageText) and got.body == "secret reply", f"{got}")


async def test_second_device(t):
    """bob's second device shows up in alice's key query and decrypts her next message"""
    alice = await encrypted_user(t, "alice", "nio alice")
    bob = await encrypted_user(t, "bob", "nio bob")
    room_id = await encrypted_room(t, alice, bob)
    await query_and_verify(alice, bob)
    first = ok(await alice.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "before the second device"}), r.RoomSendResponse)
    got = await decrypted(bob, room_id, first.event_id)
    check(getattr(got, "body", None) == "before the second device", f"{got}")

    laptop = await t.login(bob, "nio bob laptop", encryption=True)
    ok(await laptop.keys_upload(), r.KeysUploadResponse)
    await sync(laptop)
    await sync_until(alice, lambda resp: bob.user_id in resp.device_list.changed,
                     "bob in the device list changes")
    check(bob.user_id in alice.users_for_key_query, "nio wants to query bob's keys again")
    ok(await alice.keys_query(), r.KeysQueryResponse)
    check(laptop.device_id in alice.device_store[bob.user_id], "the laptop's keys")

    # nio refuses to encrypt for a device nobody vouched for.
    try:
        await alice.share_group_session(room_id)
        raise AssertionError("sharing with an unverified device must raise")
    except OlmUnverifiedDeviceError as e:
        check(e.device.id == laptop.device_id, f"the laptop is the unverified one: {e.device}")
    await query_and_verify(alice, laptop)
    ok(await alice.keys_claim(alice.get_missing_sessions(room_id)), r.KeysClaimResponse)
    shared = ok(await alice.share_group_session(room_id), r.ShareGroupSessionResponse)
    check((bob.user_id, laptop.device_id) in shared.users_shared_with, f"{shared.users_shared_with}")

    second = ok(await alice.room_send(room_id, "m.room.message", {
        "msgtype": "m.text", "body": "after the second device"}), r.RoomSendResponse)
    for device in (laptop, bob):
        got = await decrypted(device, room_id, second.event_id)
        check(getattr(got, "body", None) == "after the second device",
              f"{device.device_id} decrypts: {got}")
    old = ok(await laptop.room_get_event(room_id, first.event_id), r.RoomGetEventResponse).event
    check(isinstance(old, nio.MegolmEvent), f"ciphertext: {old}")
    try:
        laptop.decrypt_event(old)
        raise AssertionError("the laptop has no key for the message from before it existed")
    except EncryptionError:
        pass


async def test_to_device(t):
    """sends a to-device message to one device of another user, and only that device gets it"""
    alice = await encrypted_user(t, "alice", "nio alice")
    bob = await encrypted_user(t, "bob", "nio bob")
    laptop = await t.login(bob, "nio bob laptop")
    await sync(bob)
    await sync(laptop)
    ok(await alice.to_device(ToDeviceMessage("dev.myelin.ping", bob.user_id, bob.device_id,
                                             {"n": 1})), r.ToDeviceResponse)

    def ping(resp):
        # nio 0.20.1 keeps only the to-device types it knows: read this one from the body.
        events = raw(resp).get("to_device", {}).get("events", [])
        return next((e for e in events if e.get("type") == "dev.myelin.ping"), None)

    got = await sync_until(bob, ping, "the ping")
    check(got == {"type": "dev.myelin.ping", "sender": alice.user_id, "content": {"n": 1}},
          f"{got}")
    resp = await sync(laptop, 500)
    check(ping(resp) is None, "the other device gets nothing")
    resp = await sync(bob, 500)
    check(ping(resp) is None, "delivered once")


async def test_sas_verification(t):
    """alice verifies bob's device interactively (SAS, emoji) over to-device messages

    start, accept, both keys, the same seven emoji on both sides, both MACs: each side ends with
    the other's device verified in its store."""
    alice = await encrypted_user(t, "alice", "nio alice")
    bob = await encrypted_user(t, "bob", "nio bob")
    for client, other in ((alice, bob), (bob, alice)):
        client.users_for_key_query.add(other.user_id)
        ok(await client.keys_query(), r.KeysQueryResponse)
    await sync(alice)
    await sync(bob)

    def to_device(cls):
        return lambda resp: next((e for e in resp.to_device_events if isinstance(e, cls)), None)

    async def deliver(client):
        for resp in await client.send_to_device_messages():
            ok(resp, r.ToDeviceResponse)

    ok(await alice.start_key_verification(alice.device_store[bob.user_id][bob.device_id]),
       r.ToDeviceResponse)
    start = await sync_until(bob, to_device(nio.KeyVerificationStart), "the verification start")
    check(start.sender == alice.user_id and start.from_device == alice.device_id, f"{start}")
    tx = start.transaction_id
    ok(await bob.accept_key_verification(tx), r.ToDeviceResponse)
    await sync_until(alice, to_device(nio.KeyVerificationAccept), "bob's accept")
    await deliver(alice)  # her key, queued by nio on the accept
    await sync_until(bob, to_device(nio.KeyVerificationKey), "alice's key")
    await deliver(bob)  # his key
    await sync_until(alice, to_device(nio.KeyVerificationKey), "bob's key")

    emoji = alice.key_verifications[tx].get_emoji()
    check(len(emoji) == 7 and emoji == bob.key_verifications[tx].get_emoji(),
          f"the same emoji: {emoji} and {bob.key_verifications[tx].get_emoji()}")
    ok(await alice.confirm_short_auth_string(tx), r.ToDeviceResponse)
    ok(await bob.confirm_short_auth_string(tx), r.ToDeviceResponse)
    await sync_until(bob, to_device(nio.KeyVerificationMac), "alice's MAC")
    await sync_until(alice, to_device(nio.KeyVerificationMac), "bob's MAC")
    check(alice.key_verifications[tx].verified and bob.key_verifications[tx].verified,
          "both sides verified")
    check(alice.device_store[bob.user_id][bob.device_id].verified, "alice trusts bob's device")
    check(bob.device_store[alice.user_id][alice.device_id].verified, "bob trusts alice's device")
