// Server-side search with matrix-js-sdk's searchRoomEvents (recent order, one event of context
// on either side, profiles) and backPaginateRoomEventsSearch for the next batch; what the SDK
// parses out of the response (count, highlights, results with their context) is checked.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { registerUser, once, needs, stopAll, requires } from '../lib/harness.mjs';

const COUNT = 12;

describe('search', () => {
  let alice;
  let bob;
  let carol;
  let roomId;
  let otherRoomId;
  let sent = false;

  const users = once(async () => {
    alice = await registerUser('alice');
    bob = await registerUser('bob');
    carol = await registerUser('carol');
  });

  after(() => stopAll(alice?.client, bob?.client, carol?.client));

  it(`sends ${COUNT} searchable messages between others`, async () => {
    await users();
    ({ room_id: roomId } = await needs('POST /createRoom', () => alice.client.createRoom({ name: 'Search', preset: 'private_chat' })));
    ({ room_id: otherRoomId } = await needs('POST /createRoom', () => alice.client.createRoom({ preset: 'private_chat' })));
    await needs('POST /rooms/{roomId}/invite', () => alice.client.invite(roomId, bob.userId));
    await needs('POST /join/{roomIdOrAlias}', () => bob.client.joinRoom(roomId));
    await needs('PUT /profile/{userId}/displayname', () => alice.client.setDisplayName('Alice Searcher'));
    for (let i = 0; i < COUNT; i++) {
      await alice.client.sendTextMessage(roomId, `filler before ${i}`);
      await alice.client.sendTextMessage(roomId, `Quarterly report number ${i}`);
    }
    await alice.client.sendTextMessage(roomId, 'filler at the end');
    await alice.client.sendTextMessage(otherRoomId, 'Quarterly report elsewhere');
    sent = true;
  });

  it('finds the newest first with context and profiles, and pages to the end', async () => {
    await users();
    requires(sent, 'the messages from the first test');
    const results = await needs('POST /search', () => bob.client.searchRoomEvents({ term: 'quarterly REPORT' }));
    assert.equal(results.count, COUNT, 'count');
    assert.ok(results.highlights.includes('Quarterly'), `highlights: ${results.highlights}`);
    assert.ok(results.highlights.includes('report'), `highlights: ${results.highlights}`);
    assert.equal(results.results.length, 10, 'the default batch of 10');
    assert.ok(results.next_batch, 'a next batch');

    const first = results.results[0];
    const event = first.context.getEvent();
    assert.equal(event.getRoomId(), roomId);
    assert.equal(event.getSender(), alice.userId);
    assert.equal(event.getContent().body, `Quarterly report number ${COUNT - 1}`);
    assert.equal(typeof first.rank, 'number');
    const timeline = first.context.getTimeline().map((e) => e.getContent().body);
    assert.deepEqual(timeline, [`filler before ${COUNT - 1}`, `Quarterly report number ${COUNT - 1}`, 'filler at the end'],
      'one event before and one after, in timeline order');
    assert.ok(first.context.getPaginateToken(true), 'a token to paginate back from');
    assert.ok(first.context.getPaginateToken(false), 'a token to paginate on from');

    const raw = await bob.client.search({
      body: { search_categories: { room_events: { search_term: 'quarterly', event_context: { include_profile: true } } } },
    });
    const profiles = raw.search_categories.room_events.results[0].context.profile_info;
    assert.equal(profiles[alice.userId]?.displayname, 'Alice Searcher', 'profile_info');

    const more = await needs('POST /search?next_batch', () => bob.client.backPaginateRoomEventsSearch(results));
    assert.equal(more.results.length, COUNT, 'both batches');
    assert.equal(more.next_batch, undefined, 'no batch after the last');
    const bodies = more.results.map((r) => r.context.getEvent().getContent().body);
    assert.deepEqual(bodies, Array.from({ length: COUNT }, (_, i) => `Quarterly report number ${COUNT - 1 - i}`));
    await assert.rejects(bob.client.backPaginateRoomEventsSearch(more), /any further/);
  });

  it('searches only rooms the user was in, narrowed by a filter', async () => {
    await users();
    requires(sent, 'the messages from the first test');
    const mine = await alice.client.searchRoomEvents({ term: 'quarterly', filter: { rooms: [otherRoomId] } });
    assert.deepEqual(mine.results.map((r) => r.context.getEvent().getContent().body), ['Quarterly report elsewhere']);
    const bobs = await bob.client.searchRoomEvents({ term: 'elsewhere' });
    assert.equal(bobs.results.length, 0, 'bob was never in the other room');
    const carols = await carol.client.searchRoomEvents({ term: 'quarterly' });
    assert.equal(carols.count, 0);
    assert.equal(carols.results.length, 0);
  });

  it('answers a bad request with a Matrix error', async () => {
    await users();
    await assert.rejects(
      bob.client.search({ body: { search_categories: { room_events: { search_term: 'x', order_by: 'size' } } } }),
      (err) => err.errcode === 'M_INVALID_PARAM' && err.httpStatus === 400);
  });
});
