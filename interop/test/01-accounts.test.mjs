// Accounts: registration through the m.login.dummy user-interactive flow, password login,
// whoami, the device list and logout, all through matrix-js-sdk.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { registerUser, login, needs, stopAll, once, SERVER_NAME, PASSWORD, anonymousClient, requires } from '../lib/harness.mjs';

describe('accounts', () => {
  let alice;
  let bob;
  let aliceLogin;
  let loggedOut = false;

  const users = once(async () => {
    alice = await registerUser('alice', { deviceName: 'alice registration device' });
    bob = await registerUser('bob');
  });

  after(() => stopAll(alice?.client, bob?.client, aliceLogin?.client));

  it('registers two users through the m.login.dummy flow', async () => {
    await users();
    for (const user of [alice, bob]) {
      assert.equal(user.credentials.user_id, `@${user.username}:${SERVER_NAME}`);
      assert.ok(user.credentials.access_token, 'an access token');
      assert.ok(user.credentials.device_id, 'a device id');
    }
    assert.notEqual(alice.credentials.access_token, bob.credentials.access_token);
  });

  it('refuses a second registration of the same username with M_USER_IN_USE', async () => {
    await users();
    const anon = anonymousClient();
    const body = { username: alice.username, password: PASSWORD };
    let err = await anon.registerRequest(body).then(() => null, (e) => e);
    assert.ok(err, 'registering a taken username must fail');
    if (err.httpStatus === 401) {
      // The server asks for auth before looking at the username: complete the flow.
      const session = err.data?.session;
      err = await anon.registerRequest({ ...body, auth: { type: 'm.login.dummy', session } }).then(() => null, (e) => e);
      assert.ok(err, 'registering a taken username must fail');
    }
    assert.equal(err.httpStatus, 400);
    assert.equal(err.errcode, 'M_USER_IN_USE');
  });

  it('answers whoami with the user and device of each token', async () => {
    await users();
    for (const user of [alice, bob]) {
      const me = await needs('whoami', () => user.client.whoami());
      assert.equal(me.user_id, user.userId);
      assert.equal(me.device_id, user.credentials.device_id);
    }
  });

  it('logs in with a password on a new device', async () => {
    await users();
    aliceLogin = await needs('password login', () => login(alice.username, PASSWORD, 'alice second device'));
    assert.equal(aliceLogin.credentials.user_id, alice.userId);
    assert.notEqual(aliceLogin.credentials.device_id, alice.credentials.device_id);
    assert.notEqual(aliceLogin.credentials.access_token, alice.credentials.access_token);
    const me = await aliceLogin.client.whoami();
    assert.equal(me.user_id, alice.userId);
    assert.equal(me.device_id, aliceLogin.credentials.device_id);
  });

  it('refuses a wrong password with M_FORBIDDEN', async () => {
    await users();
    await assert.rejects(login(alice.username, 'not the password'), (err) => {
      assert.equal(err.httpStatus, 403);
      assert.equal(err.errcode, 'M_FORBIDDEN');
      return true;
    });
  });

  it('lists both of alice\'s devices with their display names', async () => {
    await users();
    requires(aliceLogin, 'the password login test to have passed');
    const { devices } = await needs('GET /devices', () => alice.client.getDevices());
    const byId = new Map(devices.map((d) => [d.device_id, d]));
    assert.equal(byId.get(alice.credentials.device_id)?.display_name, 'alice registration device');
    assert.equal(byId.get(aliceLogin.credentials.device_id)?.display_name, 'alice second device');
    assert.ok(!devices.some((d) => d.device_id === bob.credentials.device_id), 'bob\'s device is not alice\'s');
  });

  it('renames a device', async () => {
    await users();
    const id = alice.credentials.device_id;
    await needs('PUT /devices/{deviceId}', () => alice.client.setDeviceDetails(id, { display_name: 'renamed device' }));
    const device = await needs('GET /devices/{deviceId}', () => alice.client.getDevice(id));
    assert.equal(device.device_id, id);
    assert.equal(device.display_name, 'renamed device');
  });

  it('logs out: the token stops working, the other session does not', async () => {
    await users();
    requires(aliceLogin, 'the password login test to have passed');
    await needs('POST /logout', () => aliceLogin.client.logout());
    await assert.rejects(aliceLogin.client.whoami(), (err) => {
      assert.equal(err.httpStatus, 401);
      assert.equal(err.errcode, 'M_UNKNOWN_TOKEN');
      return true;
    });
    assert.equal((await alice.client.whoami()).user_id, alice.userId);
    loggedOut = true;
  });

  it('no longer lists the logged-out device', async () => {
    requires(loggedOut, 'the logout test to have passed');
    const { devices } = await needs('GET /devices', () => alice.client.getDevices());
    assert.ok(!devices.some((d) => d.device_id === aliceLogin.credentials.device_id),
      'the logged-out device is no longer listed');
    assert.ok(devices.some((d) => d.device_id === alice.credentials.device_id), 'the other device still is');
  });
});
