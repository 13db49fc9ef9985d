// Push delivery: a push gateway on 127.0.0.1, run by this test, receives what the homeserver
// posts to /_matrix/push/v1/notify for a pusher matrix-js-sdk set, in the Push Gateway API's shape;
// a pushkey the gateway rejects loses its pusher; /notifications holds the history.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  registerUser, once, needs, sharedRoom, eventually, within, WAIT_MS,
} from '../lib/harness.mjs';

const NOTIFY = '/_matrix/push/v1/notify';

/** A push gateway on an ephemeral loopback port that records each notification and answers as told. */
function startGateway() {
  const received = [];
  const waiters = [];
  const rejecting = new Set();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const json = JSON.parse(body || '{}');
      const pushkey = json.notification?.devices?.[0]?.pushkey;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(rejecting.has(pushkey) ? { rejected: [pushkey] } : {}));
      if (req.url === NOTIFY && req.method === 'POST') {
        received.push(json);
        waiters.splice(0).forEach((w) => w());
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}${NOTIFY}`,
      received,
      rejecting,
      next(predicate, what) {
        const found = () => received.find(predicate);
        return within(WAIT_MS, new Promise((resolve) => {
          const check = () => { const hit = found(); if (hit) resolve(hit); else waiters.push(check); };
          check();
        }), what);
      },
      // the homeserver's client keeps its connections open; end them so that the file can exit
      close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
    }));
  });
}

describe('push notifications', () => {
  let alice;
  let bob;
  let roomId;
  let gateway;
  const ready = once(async () => {
    gateway = await startGateway();
    alice = await registerUser('alice');
    bob = await registerUser('bob');
    roomId = await sharedRoom(alice, bob, { name: 'Push room' });
  });

  after(async () => { await gateway?.close(); });

  function pusher(pushkey, data = {}) {
    return {
      kind: 'http',
      app_id: 'org.example.interop',
      app_display_name: 'Interop',
      device_display_name: 'Phone',
      profile_tag: 'tag',
      pushkey,
      lang: 'en',
      data: { url: gateway.url, ...data },
    };
  }

  it('a message reaches the push gateway in the spec\'s shape', async () => {
    await ready();
    await needs('POST /pushers/set', () => alice.client.setPusher(pusher('key-full', { extra: 'kept' })));
    const { pushers } = await alice.client.getPushers();
    assert.deepEqual(pushers.map((p) => p.pushkey), ['key-full']);

    const { event_id: eventId } = await bob.client.sendTextMessage(roomId, 'ping for alice');
    const push = await gateway.next((p) => p.notification?.event_id === eventId, 'the push for bob\'s message');
    const n = push.notification;
    assert.equal(n.room_id, roomId);
    assert.equal(n.type, 'm.room.message');
    assert.equal(n.sender, bob.userId);
    assert.equal(n.room_name, 'Push room');
    assert.deepEqual(n.content, { msgtype: 'm.text', body: 'ping for alice' });
    assert.equal(n.prio, 'high'); // a one-to-one room's message sounds
    assert.ok(n.counts.unread >= 1, `counts.unread: ${JSON.stringify(n.counts)}`);
    assert.equal(n.devices.length, 1);
    const [device] = n.devices;
    assert.equal(device.app_id, 'org.example.interop');
    assert.equal(device.pushkey, 'key-full');
    assert.equal(typeof device.pushkey_ts, 'number');
    assert.deepEqual(device.data, { extra: 'kept' }); // the url is not sent to the gateway
    assert.equal(device.tweaks.sound, 'default');
  });

  it('event_id_only pushers get no content', async () => {
    await ready();
    await alice.client.setPusher(pusher('key-ids', { format: 'event_id_only' }));
    const { event_id: eventId } = await bob.client.sendTextMessage(roomId, 'secret words');
    const push = await gateway.next(
      (p) => p.notification?.event_id === eventId && p.notification.devices[0].pushkey === 'key-ids',
      'the event_id_only push');
    assert.equal(push.notification.content, undefined);
    assert.equal(push.notification.sender, undefined);
    assert.equal(push.notification.room_id, roomId);
  });

  it('a pushkey the gateway rejects loses its pusher', async () => {
    await ready();
    gateway.rejecting.add('key-gone');
    await alice.client.setPusher(pusher('key-gone'));
    await bob.client.sendTextMessage(roomId, 'to be rejected');
    await eventually(async () => {
      const { pushers } = await alice.client.getPushers();
      return !pushers.some((p) => p.pushkey === 'key-gone');
    }, 'the rejected pusher to be removed');
    const { pushers } = await alice.client.getPushers();
    assert.ok(pushers.some((p) => p.pushkey === 'key-full'), 'the other pushers stay');
  });

  it('/notifications lists what alice was notified of', async () => {
    await ready();
    const answer = await alice.client.http.authedRequest('GET', '/notifications', { limit: '10' });
    const bodies = answer.notifications.map((n) => n.event.content.body);
    assert.ok(bodies.includes('ping for alice'), `notifications: ${JSON.stringify(bodies)}`);
    for (const n of answer.notifications) {
      assert.equal(n.room_id, roomId);
      assert.equal(typeof n.ts, 'number');
      assert.equal(typeof n.read, 'boolean');
      assert.ok(Array.isArray(n.actions));
    }
  });
});
