"""Devices through matrix-nio: the list (nio checks its shape), renaming, deleting with UIA."""

import datetime

from nio import responses as r

from harness import PASSWORD, check, fails, ok, raw


async def device_map(client):
    return {d.id: d for d in ok(await client.devices(), r.DevicesResponse).devices}


async def test_list(t):
    """lists the devices with their names, last seen address and time"""
    alice = await t.user("alice", device_name="nio desktop")
    phone = await t.login(alice, "nio phone")
    ok(await phone.whoami(), r.WhoamiResponse)
    devices = await device_map(alice)
    check(set(devices) == {alice.device_id, phone.device_id}, f"devices {sorted(devices)}")
    check(devices[alice.device_id].display_name == "nio desktop", f"{devices[alice.device_id]}")
    check(devices[phone.device_id].display_name == "nio phone", f"{devices[phone.device_id]}")
    now = datetime.datetime.now()
    for device in devices.values():
        check(device.last_seen_ip == "127.0.0.1", f"last seen from 127.0.0.1: {device}")
        seen = device.last_seen_date
        check(seen and abs((now - seen).total_seconds()) < 300, f"last seen just now: {device}")


async def test_fresh_device(t):
    """lists a fresh device that has no name and has not made a request yet"""
    alice = await t.user("alice", device_name="nio desktop")
    fresh = await t.login(alice)  # no initial_device_display_name, its token never used
    devices = await device_map(alice)
    check(fresh.device_id in devices, f"the fresh device in {sorted(devices)}")
    device = devices[fresh.device_id]
    check(device.display_name is None, f"no display name: {device}")
    check(device.last_seen_ip in (None, "127.0.0.1"), f"last seen ip: {device}")


async def test_rename(t):
    """renames a device (update_device) and another device's list shows the new name"""
    alice = await t.user("alice", device_name="old name")
    phone = await t.login(alice, "nio phone")
    ok(await phone.update_device(alice.device_id, {"display_name": "new name"}),
       r.UpdateDeviceResponse)
    devices = await device_map(alice)
    check(devices[alice.device_id].display_name == "new name", f"{devices[alice.device_id]}")
    check(devices[phone.device_id].display_name == "nio phone", f"{devices[phone.device_id]}")
    fails(await alice.update_device("NOSUCHDEVICE", {"display_name": "x"}),
          r.UpdateDeviceError, "M_NOT_FOUND", 404)


async def test_delete_with_uia(t):
    """deletes devices through user-interactive auth: 401 with a session, then the password"""
    alice = await t.user("alice", device_name="keeper")
    old = await t.login(alice, "old phone")
    older = await t.login(alice, "older phone")
    tokens = {old: old.access_token, older: older.access_token}

    challenge = ok(await alice.delete_devices([old.device_id]), r.DeleteDevicesAuthResponse)
    check(challenge.session, "a session")
    check(["m.login.password"] in [f.get("stages") for f in challenge.flows],
          f"a password flow in {challenge.flows}")
    # The auth dict of nio's own documentation (the deprecated top-level "user").
    ok(await alice.delete_devices([old.device_id], {
        "type": "m.login.password", "user": alice.localpart, "password": PASSWORD,
        "session": challenge.session}), r.DeleteDevicesResponse)

    challenge = ok(await alice.delete_devices([older.device_id]), r.DeleteDevicesAuthResponse)
    wrong = await alice.delete_devices([older.device_id], {
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": alice.user_id},
        "password": "wrong", "session": challenge.session})
    # A wrong password is the same challenge again, with the error in it.
    ok(wrong, r.DeleteDevicesAuthResponse)
    check(raw(wrong).get("errcode") == "M_FORBIDDEN", f"M_FORBIDDEN in {raw(wrong)}")
    ok(await alice.delete_devices([older.device_id], {
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": alice.user_id},
        "password": PASSWORD, "session": challenge.session}), r.DeleteDevicesResponse)

    devices = await device_map(alice)
    check(set(devices) == {alice.device_id}, f"only the keeper is left: {sorted(devices)}")
    for client, token in tokens.items():
        client.access_token = token
        fails(await client.whoami(), r.WhoamiError, "M_UNKNOWN_TOKEN", 401)
