"""Accounts through matrix-nio: registration, login, whoami and logout."""

import nio
from nio import responses as r

from harness import PASSWORD, check, fails, ok, raw, user_id


async def test_register(t):
    """registers a user with register() (m.login.dummy) and answers whoami for its token"""
    alice = await t.user("alice", device_name="nio registration device")
    check(alice.user_id == user_id(alice.localpart), f"user id {alice.user_id}")
    check(alice.access_token and alice.device_id, "an access token and a device id")
    me = ok(await alice.whoami(), r.WhoamiResponse)
    check(me.user_id == alice.user_id, f"whoami names {me.user_id}")
    check(raw(me)["device_id"] == alice.device_id, f"whoami's device is {raw(me)}")


async def test_register_taken(t):
    """refuses a second registration of the same username with M_USER_IN_USE"""
    alice = await t.user("alice")
    again = t.client()
    fails(await again.register(alice.localpart, PASSWORD), r.RegisterErrorResponse, "M_USER_IN_USE", 400)
    check(not again.logged_in, "the refused registration logs nobody in")


async def test_login_flows(t):
    """lists m.login.password among the login flows (login_info)"""
    info = ok(await t.client().login_info(), r.LoginInfoResponse)
    check("m.login.password" in info.flows, f"flows {info.flows}")


async def test_login(t):
    """logs in with a password on a new device, by localpart and by full user id"""
    alice = await t.user("alice")
    by_localpart = t.client(alice.localpart)
    resp = ok(await by_localpart.login(PASSWORD, device_name="nio laptop"), r.LoginResponse)
    check(resp.user_id == alice.user_id, f"logged in as {resp.user_id}")
    check(resp.device_id != alice.device_id, "a new device")
    check(resp.access_token != alice.access_token, "a new token")
    by_user_id = await t.login(alice, "nio phone")
    check(by_user_id.device_id not in (alice.device_id, resp.device_id), "a third device")
    me = ok(await by_user_id.whoami(), r.WhoamiResponse)
    check(raw(me)["device_id"] == by_user_id.device_id, f"whoami's device is {raw(me)}")


async def test_login_existing_device(t):
    """logs in again on a device id it names, keeping the device"""
    alice = await t.user("alice", device_name="first")
    again = t.client(alice.user_id, device_id=alice.device_id)
    resp = ok(await again.login(PASSWORD), r.LoginResponse)
    check(resp.device_id == alice.device_id, f"device {resp.device_id}, not {alice.device_id}")
    check(resp.access_token != alice.access_token, "a new token")


async def test_wrong_password(t):
    """refuses a wrong password with 403 M_FORBIDDEN"""
    alice = await t.user("alice")
    client = t.client(alice.user_id)
    fails(await client.login("not the password"), r.LoginError, "M_FORBIDDEN", 403)
    check(not client.logged_in, "not logged in")


async def test_logout(t):
    """logs out one device (its token is then M_UNKNOWN_TOKEN) while the other keeps working"""
    alice = await t.user("alice")
    second = await t.login(alice, "to log out")
    token = second.access_token
    ok(await second.logout(), r.LogoutResponse)
    second.access_token = token  # nio forgets the token; ask with it anyway
    fails(await second.whoami(), r.WhoamiError, "M_UNKNOWN_TOKEN", 401)
    ok(await alice.whoami(), r.WhoamiResponse)
    devices = ok(await alice.devices(), r.DevicesResponse).devices
    check(second.device_id not in [d.id for d in devices], "the logged out device is gone")


async def test_logout_all(t):
    """logs out every device at once (logout(all_devices=True))"""
    alice = await t.user("alice")
    second = await t.login(alice, "second")
    tokens = [(alice, alice.access_token), (second, second.access_token)]
    ok(await second.logout(all_devices=True), r.LogoutResponse)
    for client, token in tokens:
        client.access_token = token
        fails(await client.whoami(), r.WhoamiError, "M_UNKNOWN_TOKEN", 401)
