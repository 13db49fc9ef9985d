// History: 100 messages paged back with matrix-js-sdk's scrollback (the room's timeline) and
// with raw /messages requests through createMessagesRequest.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { registerUser, once, needs, stopAll, startSyncing, roomSeen, sdk, requires } from '../lib/harness.mjs';

const COUNT = 100;
const bodies = Array.from({ length: COUNT }, (_, i) => `message ${String(i).padStart(3, '0')}`);

describe('history', () => {
  let alice;
  let bob;
  let roomId;
  let sent = false;

  const users = once(async () => {
    alice = await registerUser('alice');
    bob = await registerUser('bob');
  });

  after(() => stopAll(alice?.client, bob?.client));

  it(`sends ${COUNT} messages in order`, async () => {
    await users();
    ({ room_id: roomId } = await needs('POST /createRoom', () => alice.client.createRoom({ name: 'History', preset: 'private_chat' })));
    await needs('POST /rooms/{roomId}/invite', () => alice.client.invite(roomId, bob.userId));
    await needs('POST /join/{roomIdOrAlias}', () => bob.client.joinRoom(roomId));
    const ids = new Set();
    for (const body of bodies) {
      const { event_id: id } = await needs('PUT /rooms/{roomId}/send', () => alice.client.sendTextMessage(roomId, body));
      ids.add(id);
    }
    assert.equal(ids.size, COUNT, 'every message has its own event id');
    sent = true;
  });

  it(`pages back through ${COUNT} messages with /messages (createMessagesRequest)`, async () => {
    await users();
    requires(sent, 'the messages from the first test');
    const seen = [];
    let from = null;
    for (let page = 0; page < 20; page++) {
      const res = await needs('GET /rooms/{roomId}/messages',
        () => bob.client.createMessagesRequest(roomId, from, 30, sdk.Direction.Backward));
      assert.ok(Array.isArray(res.chunk), 'a chunk');
      assert.ok(res.chunk.length <= 30, `at most the limit, got ${res.chunk.length}`);
      for (const e of res.chunk) {
        if (e.type === 'm.room.message') seen.push(e.content.body);
      }
      if (!res.end || res.chunk.length === 0) break;
      assert.notEqual(res.end, from, 'the token moves');
      from = res.end;
    }
    assert.deepEqual(seen, [...bodies].reverse(), 'newest first, every message once');
  });

  it(`scrolls back through ${COUNT} messages in the synced timeline`, async () => {
    await users();
    requires(sent, 'the messages from the first test');
    await startSyncing(bob.client);
    const room = await roomSeen(bob.client, roomId);
    const messages = () => room.getLiveTimeline().getEvents()
      .filter((e) => e.getType() === 'm.room.message').map((e) => e.getContent().body);
    for (let i = 0; i < 20 && messages().length < COUNT; i++) {
      await needs('GET /rooms/{roomId}/messages (scrollback)', () => bob.client.scrollback(room, 30));
      if (room.oldState.paginationToken === null) break;
    }
    assert.deepEqual(messages(), bodies, 'oldest first, every message once');
    const creation = room.getLiveTimeline().getEvents().find((e) => e.getType() === 'm.room.create');
    assert.ok(creation, 'scrolled back to the room\'s creation');
  });
});
