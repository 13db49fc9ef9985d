// To-device messages between matrix-js-sdk clients (sendToDevice, received through sync as
// `toDeviceEvent`), and a server-side key backup round trip through the SDK's HTTP layer.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  sdk, registerUser, login, once, needs, stopAll, startSyncing, waitForEvent, eventually,
} from '../lib/harness.mjs';

const ALGORITHM = 'm.megolm_backup.v1.curve25519-aes-sha2';

describe('to-device messages', () => {
  let alice;
  let bob;
  let bobPhone;
  const laptopSeen = [];
  const phoneSeen = [];
  const ready = once(async () => {
    alice = await registerUser('alice');
    bob = await registerUser('bob');
    bobPhone = await login(bob.username, undefined, 'bob phone');
    bob.client.on('toDeviceEvent', (e) => laptopSeen.push(e));
    bobPhone.client.on('toDeviceEvent', (e) => phoneSeen.push(e));
    await startSyncing(bob.client);
    await startSyncing(bobPhone.client);
  });

  after(() => stopAll(bob?.client, bobPhone?.client));

  const to = (userId, deviceId, content) => new Map([[userId, new Map([[deviceId, content]])]]);

  it('a message to one device arrives there only, with its sender, type and content', async () => {
    await ready();
    const arrived = waitForEvent(bob.client, 'toDeviceEvent',
      (e) => e.getType() === 'org.myelin.interop.ping', 'bob\'s laptop to receive the ping');
    await needs('PUT /sendToDevice/{eventType}/{txnId}', () => alice.client.sendToDevice('org.myelin.interop.ping',
      to(bob.userId, bob.credentials.device_id, { n: 1, text: 'hello laptop' })));
    const [event] = await arrived;
    assert.equal(event.getSender(), alice.userId);
    assert.deepEqual(event.getContent(), { n: 1, text: 'hello laptop' });
  });

  it('a message to "*" reaches every device of the user, and messages keep their order', async () => {
    await ready();
    for (let n = 2; n <= 6; n += 1) {
      await alice.client.sendToDevice('org.myelin.interop.ping', to(bob.userId, '*', { n }));
    }
    const numbers = (seen) => seen.filter((e) => e.getType() === 'org.myelin.interop.ping').map((e) => e.getContent().n);
    await eventually(() => numbers(laptopSeen).length >= 6 && numbers(phoneSeen).length >= 5,
      'both of bob\'s devices to receive the broadcast');
    assert.deepEqual(numbers(laptopSeen), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(numbers(phoneSeen), [2, 3, 4, 5, 6], 'the phone never sees the laptop\'s message');
  });

  it('a retried transaction id is delivered once', async () => {
    await ready();
    const content = to(bob.userId, bob.credentials.device_id, { n: 7 });
    await alice.client.sendToDevice('org.myelin.interop.retry', content, 'interop-retry-1');
    await alice.client.sendToDevice('org.myelin.interop.retry', content, 'interop-retry-1');
    await alice.client.sendToDevice('org.myelin.interop.retry', to(bob.userId, bob.credentials.device_id, { n: 8 }));
    await eventually(() => laptopSeen.some((e) => e.getContent().n === 8), 'the message after the retry');
    assert.deepEqual(laptopSeen.filter((e) => e.getType() === 'org.myelin.interop.retry').map((e) => e.getContent().n),
      [7, 8]);
  });
});

describe('server-side key backup', () => {
  let alice;
  const ready = once(async () => {
    alice = await registerUser('alice');
  });
  const request = (method, path, query, body) => alice.client.http.authedRequest(method, path, query, body);

  it('creates a version, backs up a session key, reads it back and deletes the version', async () => {
    await ready();
    await assert.rejects(request(sdk.Method.Get, '/room_keys/version'), (err) => err.errcode === 'M_NOT_FOUND');
    const { version } = await needs('POST /room_keys/version', () => request(sdk.Method.Post, '/room_keys/version',
      undefined, { algorithm: ALGORITHM, auth_data: { public_key: 'interop-public-key' } }));
    const info = await request(sdk.Method.Get, '/room_keys/version');
    assert.deepEqual(info, {
      algorithm: ALGORITHM, auth_data: { public_key: 'interop-public-key' }, count: 0, etag: info.etag, version,
    });

    const roomId = '!interop:localhost';
    const key = {
      first_message_index: 0, forwarded_count: 0, is_verified: true,
      session_data: { ephemeral: 'eph', ciphertext: 'cipher', mac: 'mac' },
    };
    const put = await request(sdk.Method.Put, `/room_keys/keys/${encodeURIComponent(roomId)}/session1`,
      { version }, key);
    assert.equal(put.count, 1);
    assert.notEqual(put.etag, info.etag);
    const worse = await request(sdk.Method.Put, `/room_keys/keys/${encodeURIComponent(roomId)}`, { version },
      { sessions: { session1: { ...key, is_verified: false, session_data: { ciphertext: 'worse' } } } });
    assert.deepEqual(worse, put, 'an unverified key does not replace a verified one');
    assert.deepEqual(await request(sdk.Method.Get, '/room_keys/keys', { version }),
      { rooms: { [roomId]: { sessions: { session1: key } } } });

    const { version: newer } = await request(sdk.Method.Post, '/room_keys/version', undefined,
      { algorithm: ALGORITHM, auth_data: { public_key: 'second' } });
    await assert.rejects(request(sdk.Method.Put, '/room_keys/keys', { version }, { rooms: {} }),
      (err) => err.errcode === 'M_WRONG_ROOM_KEYS_VERSION' && err.data.current_version === newer);
    await request(sdk.Method.Delete, `/room_keys/version/${newer}`);
    await request(sdk.Method.Delete, `/room_keys/version/${version}`);
    await assert.rejects(request(sdk.Method.Get, '/room_keys/version'), (err) => err.errcode === 'M_NOT_FOUND');
  });
});
