// Simplified sliding sync (MSC4186) driven by matrix-js-sdk 43's own SlidingSync class, which speaks
// it at /_matrix/client/unstable/org.matrix.simplified_msc3575/sync: a room list with a range, each
// room's name, required state and timeline, a new message arriving on the long-poll, and the
// to-device and e2ee extensions.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingSync, SlidingSyncEvent, SlidingSyncState, ExtensionState } from 'matrix-js-sdk/lib/sliding-sync.js';
import {
  registerUser, once, needs, eventually, BASE_URL,
} from '../lib/harness.mjs';

describe('sliding sync (MSC4186) with matrix-js-sdk\'s SlidingSync', () => {
  let alice;
  let bob;
  let alpha;
  let beta;
  let sliding;
  const rooms = new Map(); // room id -> every RoomData payload, in order
  const counts = [];
  const errors = [];
  const toDevice = [];
  const e2ee = [];
  let toDeviceSince;

  const ready = once(async () => {
    alice = await registerUser('alice');
    bob = await registerUser('bob');
    const versions = await alice.client.http.request('GET', '/_matrix/client/versions', undefined, undefined,
      { prefix: '' });
    assert.equal(versions.unstable_features?.['org.matrix.simplified_msc3575'], true,
      'the server advertises org.matrix.simplified_msc3575');
    ({ room_id: alpha } = await alice.client.createRoom({ name: 'Alpha' }));
    ({ room_id: beta } = await alice.client.createRoom({ name: 'Beta', preset: 'public_chat' }));
    await bob.client.joinRoom(beta);
    await alice.client.sendTextMessage(alpha, 'first in alpha');
    await bob.client.sendTextMessage(beta, 'hello from bob');

    const lists = new Map([['all', {
      ranges: [[0, 9]],
      timeline_limit: 5,
      required_state: [['m.room.create', ''], ['m.room.name', ''], ['m.room.member', '$LAZY']],
    }]]);
    sliding = new SlidingSync(BASE_URL, lists, { timeline_limit: 5, required_state: [] }, alice.client, 5000);
    sliding.registerExtension({
      name: () => 'to_device',
      when: () => ExtensionState.PreProcess,
      onRequest: () => ({ enabled: true, since: toDeviceSince }),
      onResponse: (data) => {
        toDeviceSince = data.next_batch;
        toDevice.push(...(data.events ?? []));
      },
    });
    sliding.registerExtension({
      name: () => 'e2ee',
      when: () => ExtensionState.PreProcess,
      onRequest: () => ({ enabled: true }),
      onResponse: (data) => e2ee.push(data),
    });
    sliding.on(SlidingSyncEvent.RoomData, (roomId, data) => {
      if (!rooms.has(roomId)) rooms.set(roomId, []);
      rooms.get(roomId).push(data);
    });
    sliding.on(SlidingSyncEvent.Lifecycle, (state, resp, err) => {
      if (state !== SlidingSyncState.RequestFinished) return;
      if (err) errors.push(err);
      else if (resp?.lists?.all) counts.push(resp.lists.all.count);
    });
    sliding.start();
    await needs('POST /_matrix/client/unstable/org.matrix.simplified_msc3575/sync', () => eventually(() => {
      if (errors.length > 0) throw Object.assign(new Error(`sliding sync failed: ${errors[0].message}`), errors[0]);
      return rooms.has(alpha) && rooms.has(beta);
    }, 'both rooms in alice\'s sliding sync'));
  });

  after(() => sliding?.stop());

  const texts = (roomId) => (rooms.get(roomId) ?? []).flatMap((d) => d.timeline)
    .filter((e) => e.type === 'm.room.message').map((e) => e.content.body);

  it('the room list counts both rooms and sends each whole the first time, with its name and required state', async () => {
    await ready();
    assert.equal(counts[0], 2);
    const [first] = rooms.get(beta);
    assert.equal(first.initial, true);
    assert.equal(first.name, 'Beta');
    assert.equal(first.joined_count, 2);
    assert.equal(typeof first.bump_stamp, 'number');
    const stateKeys = first.required_state.map((e) => `${e.type}|${e.state_key}`);
    assert.ok(stateKeys.includes('m.room.create|'), stateKeys.join());
    assert.ok(stateKeys.includes('m.room.name|'), stateKeys.join());
    assert.ok(stateKeys.includes(`m.room.member|${bob.userId}`), 'lazy member of the timeline\'s sender');
    assert.deepEqual(texts(beta), ['hello from bob']);
    assert.deepEqual(texts(alpha), ['first in alpha']);
  });

  it('a new message arrives on the long-poll, as an update of the room', async () => {
    await ready();
    await bob.client.sendTextMessage(beta, 'live message');
    await eventually(() => texts(beta).includes('live message'), 'the live message in alice\'s sliding sync');
    const update = rooms.get(beta).at(-1);
    assert.notEqual(update.initial, true);
    assert.equal(update.num_live, 1);
  });

  it('the to-device extension delivers a message, and the e2ee extension the device\'s key counts', async () => {
    await ready();
    await bob.client.sendToDevice('org.myelin.interop.sliding', new Map([[alice.userId,
      new Map([[alice.credentials.device_id, { hello: 'sliding' }]])]]));
    await eventually(() => toDevice.some((e) => e.type === 'org.myelin.interop.sliding'),
      'the to-device message in the to_device extension');
    const message = toDevice.find((e) => e.type === 'org.myelin.interop.sliding');
    assert.equal(message.sender, bob.userId);
    assert.deepEqual(message.content, { hello: 'sliding' });
    assert.ok(e2ee.length > 0);
    assert.equal(typeof e2ee[0].device_one_time_keys_count, 'object');
    assert.ok(Array.isArray(e2ee[0].device_lists.changed));
  });
});
