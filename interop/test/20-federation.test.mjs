// Federation between two Myelin processes, seen by matrix-js-sdk clients on both: hs1.test and
// hs2.test, started by this file (lib/federation.mjs) with TLS between them through TCP proxies
// that can cut the link. The story: alice@hs1 makes a room with shared history and invites
// bob@hs2, who joins; 100 messages each way, in turns, and in another room 50 each way at the
// same time (the room's graph forks and merges); bob pages back to before he joined; carol@hs2 joins
// by alias; a power level change and a kick cross over; with the link cut both admins set a topic,
// and once it is healed both servers settle on the same one; hs2 stops while alice sends 50
// messages and gets them all after its restart.
//
// Steps that need server features still being built are marked `todo` with the reason: they run
// and are reported as TODO, without failing the suite. INTEROP_FED_STRICT=1 runs them as
// ordinary tests (for when the feature has landed).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  registerUser, clientFor, needs, stopAll, startSyncing, roomSeen, timelineEvent, waitForEvent, eventually,
  requires, within, sdk,
} from '../lib/harness.mjs';
import { startFederation } from '../lib/federation.mjs';

const HS1 = 'hs1.test';
const HS2 = 'hs2.test';
/** How long federation may take to carry something across (it retries every ~2 s at worst). */
const FED_MS = Number(process.env.INTEROP_FED_WAIT_MS ?? 30000);
const STEP_MS = 120000;
const STRICT = process.env.INTEROP_FED_STRICT === '1';
/** A step that fails on this server for a known reason: run, reported TODO, not counted. */
const known = (reason) => (STRICT ? false : `known failure: ${reason}`);

const EARLY = Array.from({ length: 10 }, (_, i) => `before bob ${i}`);
const EACH_WAY = 100;
/** Messages one side sends before the other answers. */
const TURN = 10;
const WHILE_DOWN = 50;
const AT_ONCE = 50;

/** Every m.room.message body of the room as `client`'s server has it, oldest first, with the sender. */
async function history(client, roomId, { upTo = 1000 } = {}) {
  const events = [];
  let from = null;
  for (let page = 0; page < 50 && events.length < upTo; page++) {
    const res = await client.createMessagesRequest(roomId, from, 100, sdk.Direction.Backward);
    events.push(...res.chunk);
    if (!res.end || res.chunk.length === 0 || res.end === from) break;
    from = res.end;
  }
  return events.reverse();
}

function bodies(events, sender) {
  return events.filter((e) => e.type === 'm.room.message' && (!sender || e.sender === sender)).map((e) => e.content.body);
}

/** The room's current m.room.topic as `client`'s server has it (null when none or not readable). */
async function topicOf(client, roomId) {
  try {
    return (await client.getStateEvent(roomId, 'm.room.topic', '')).topic ?? null;
  } catch {
    return null;
  }
}

describe('federation between two homeserver processes', { timeout: 400000 }, () => {
  let net;
  let hs1;
  let hs2;
  let alice;
  let bob;
  let carol;
  let roomId;
  const alias = `#fed-${Date.now().toString(36)}:${HS1}`;
  const done = {};

  before(async () => {
    net = await startFederation([HS1, HS2]);
    ({ [HS1]: hs1, [HS2]: hs2 } = net.servers);
  }, { timeout: 180000 });

  after(async () => {
    stopAll(alice?.client, bob?.client, carol?.client);
    await net?.stop();
  }, { timeout: 60000 });

  /** Adds the servers' recent federation log lines to a failure, so a CI report says why. */
  async function withLogs(fn) {
    try {
      return await fn();
    } catch (err) {
      const lines = (s) => s.grep(/WARN|ERROR|federation|transaction|Exception/i, 25);
      err.message += `\n--- ${HS1} log (federation lines) ---\n${lines(hs1)}\n--- ${HS2} log (federation lines) ---\n${lines(hs2)}`;
      throw err;
    }
  }

  it('alice@hs1 creates a room with shared history, talks, invites bob@hs2; bob sees the invite and joins', { timeout: STEP_MS }, () => withLogs(async () => {
    alice = await registerUser('alice', { clientOptions: { baseUrl: hs1.baseUrl } });
    bob = await registerUser('bob', { clientOptions: { baseUrl: hs2.baseUrl } });
    carol = await registerUser('carol', { clientOptions: { baseUrl: hs2.baseUrl } });
    assert.match(alice.userId, /:hs1\.test$/);
    assert.match(bob.userId, /:hs2\.test$/);
    await startSyncing(alice.client);
    await startSyncing(bob.client);

    ({ room_id: roomId } = await needs('createRoom', () => alice.client.createRoom({
      name: 'Across servers',
      preset: 'public_chat',
      room_alias_name: alias.slice(1, alias.indexOf(':')),
      initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'shared' } }],
    })));
    for (const body of EARLY) await alice.client.sendTextMessage(roomId, body);

    const invited = waitForEvent(bob.client, 'Room.myMembership',
      (room, membership) => room.roomId === roomId && membership === 'invite', 'bob to see the invite through sync', FED_MS);
    await needs('invite over federation', () => alice.client.invite(roomId, bob.userId));
    const [invitedRoom] = await invited;
    const inviter = invitedRoom.getMember(bob.userId)?.events.member?.getSender();
    assert.equal(inviter, alice.userId, 'the invite is from alice');

    await needs('join over federation', () => bob.client.joinRoom(roomId, { viaServers: [HS1] }));
    await roomSeen(bob.client, roomId);
    await eventually(() => alice.client.getRoom(roomId)?.getMember(bob.userId)?.membership === 'join',
      'alice to see bob joined', FED_MS);
    done.joined = true;
  }));

  it(`they exchange ${EACH_WAY} messages both ways, in turns, and each side sees all, in order`, { timeout: STEP_MS }, () => withLogs(async () => {
    requires(done.joined, 'bob joined');
    const turns = [];
    for (let round = 0; round < EACH_WAY / TURN; round++) {
      for (const [name, user] of [['alice', alice], ['bob', bob]]) {
        turns.push({ user, bodies: Array.from({ length: TURN }, (_, i) => `${name} ${String(round * TURN + i).padStart(3, '0')}`) });
      }
    }
    for (const [n, { user, bodies: batch }] of turns.entries()) {
      const other = user === alice ? bob : alice;
      const seen = timelineEvent(other.client, roomId, (e) => e.getContent().body === batch.at(-1),
        `${other.userId} to see "${batch.at(-1)}" through sync`);
      for (const body of batch) await user.client.sendTextMessage(roomId, body);
      await within(FED_MS, seen, `turn ${n + 1} to cross over`);
    }
    const expected = turns.flatMap((t) => t.bodies);
    for (const [who, client] of [['alice (hs1)', alice.client], ['bob (hs2)', bob.client]]) {
      const events = await history(client, roomId);
      const exchanged = bodies(events).filter((b) => !EARLY.includes(b));
      assert.deepEqual(exchanged, expected, `${who}'s server has all ${2 * EACH_WAY} messages, once each, in order`);
    }
    done.exchanged = true;
  }));

  it(`in a room of their own both send ${AT_ONCE} messages at once; both servers end with all, each sender's in order`, { timeout: STEP_MS }, () => withLogs(async () => {
    requires(done.joined, 'bob joined');
    const { room_id: busy } = await alice.client.createRoom({ name: 'Both at once', preset: 'private_chat' });
    await alice.client.invite(busy, bob.userId);
    await eventually(() => bob.client.joinRoom(busy, { viaServers: [HS1] }), 'bob to join the room', FED_MS);
    await eventually(async () => (await alice.client.getJoinedRoomMembers(busy)).joined[bob.userId],
      'hs1 to have bob joined', FED_MS);
    const fromAlice = Array.from({ length: AT_ONCE }, (_, i) => `at once from alice ${String(i).padStart(2, '0')}`);
    const fromBob = Array.from({ length: AT_ONCE }, (_, i) => `at once from bob ${String(i).padStart(2, '0')}`);
    // each in order, the two at the same time: the room's graph forks on both servers and is merged again
    await Promise.all([
      (async () => { for (const b of fromAlice) await alice.client.sendTextMessage(busy, b); })(),
      (async () => { for (const b of fromBob) await bob.client.sendTextMessage(busy, b); })(),
    ]);
    for (const [who, client] of [['hs1', alice.client], ['hs2', bob.client]]) {
      let seen = [];
      await eventually(async () => {
        seen = bodies(await history(client, busy));
        return seen.length >= 2 * AT_ONCE;
      }, `${who} to have all ${2 * AT_ONCE} messages`, FED_MS).catch((err) => {
        err.message += ` (it has ${seen.length})`;
        throw err;
      });
      assert.deepEqual(seen.filter((b) => b.includes('from alice')), fromAlice, `${who} has alice's, once each, in order`);
      assert.deepEqual(seen.filter((b) => b.includes('from bob')), fromBob, `${who} has bob's, once each, in order`);
    }
  }));

  it('bob pages back through the history from before he joined', {
    timeout: STEP_MS,
  }, () => withLogs(async () => {
    requires(done.joined, 'bob joined');
    const events = await history(bob.client, roomId);
    const early = bodies(events, alice.userId).filter((b) => b.startsWith('before bob'));
    assert.deepEqual(early, EARLY, 'bob\'s server has the messages alice sent before bob was invited');
    assert.ok(events.some((e) => e.type === 'm.room.create'), 'and pages back to the room\'s creation');
  }));

  it('carol@hs2 joins by the alias on hs1', { timeout: STEP_MS }, () => withLogs(async () => {
    requires(done.joined, 'the room');
    await startSyncing(carol.client);
    const joined = await needs('join by a remote alias', () => carol.client.joinRoom(alias));
    assert.equal(joined.roomId, roomId, 'the alias resolves to the room');
    await eventually(() => alice.client.getRoom(roomId)?.getMember(carol.userId)?.membership === 'join',
      'alice to see carol joined', FED_MS);
    await eventually(() => bob.client.getRoom(roomId)?.getMember(carol.userId)?.membership === 'join',
      'bob to see carol joined', FED_MS);
    done.carol = true;
  }));

  it('a power level change and a kick on hs1 reach hs2', { timeout: STEP_MS }, () => withLogs(async () => {
    requires(done.carol, 'carol in the room');
    const levels = (await alice.client.getStateEvent(roomId, 'm.room.power_levels', ''));
    const raised = { ...levels, users: { ...levels.users, [bob.userId]: 100, [carol.userId]: 50 } };
    await needs('power levels', () => alice.client.sendStateEvent(roomId, 'm.room.power_levels', raised, ''));
    await eventually(async () => {
      const seen = await bob.client.getStateEvent(roomId, 'm.room.power_levels', '');
      return seen.users?.[bob.userId] === 100 && seen.users?.[carol.userId] === 50;
    }, 'hs2 to have the new power levels', FED_MS);
    await eventually(() => bob.client.getRoom(roomId)?.getMember(bob.userId)?.powerLevel === 100,
      'bob\'s client to see himself admin', FED_MS);

    const kicked = waitForEvent(carol.client, 'Room.myMembership',
      (room, membership) => room.roomId === roomId && membership === 'leave', 'carol to see herself kicked', FED_MS);
    await needs('kick', () => alice.client.kick(roomId, carol.userId, 'testing kicks'));
    await kicked;
    await eventually(async () => {
      const m = await bob.client.getStateEvent(roomId, 'm.room.member', carol.userId);
      return m.membership === 'leave' && m.reason === 'testing kicks';
    }, 'hs2 to have carol\'s kick', FED_MS);
    const kick = carol.client.getRoom(roomId)?.currentState.getStateEvents('m.room.member', carol.userId);
    assert.equal(kick?.getSender(), alice.userId, 'carol sees alice kicked her');
    done.admin = true;
  }));

  it('with the link cut both admins set a topic; healed, both servers settle on the same one', {
    timeout: STEP_MS,
  }, () => withLogs(async () => {
    requires(done.admin, 'bob made admin');
    requires(hs2.child, 'hs2 running');
    net.cut();
    await alice.client.setRoomTopic(roomId, 'the topic from hs1');
    await bob.client.setRoomTopic(roomId, 'the topic from hs2');
    assert.equal(await topicOf(alice.client, roomId), 'the topic from hs1');
    assert.equal(await topicOf(bob.client, roomId), 'the topic from hs2');
    // let each server fail to send at least once, so that the heal really is a retry
    await new Promise((r) => setTimeout(r, 1500));
    net.heal();
    await alice.client.sendTextMessage(roomId, 'after the heal, from hs1');
    await bob.client.sendTextMessage(roomId, 'after the heal, from hs2');
    for (const client of [alice.client, bob.client]) {
      await eventually(async () => {
        const b = bodies(await history(client, roomId, { upTo: 20 }));
        return b.includes('after the heal, from hs1') && b.includes('after the heal, from hs2');
      }, `${client.getUserId()}'s server to have both messages sent after the heal`, FED_MS);
    }
    // one more on each side: these cite both branches, merging the fork
    for (const [server, user] of [[hs1, alice], [hs2, bob]]) {
      const txn = `merge-${Date.now()}`;
      const res = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txn}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${user.credentials.access_token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ msgtype: 'm.text', body: `merging, from ${server.name}` }),
      });
      assert.equal(res.status, 200, `${server.name} takes a message citing both branches: ${await res.text()}`);
    }
    let last;
    await eventually(async () => {
      last = [await topicOf(alice.client, roomId), await topicOf(bob.client, roomId)];
      return last[0] !== null && last[0] === last[1];
    }, 'hs1 and hs2 to agree on m.room.topic', FED_MS).catch((err) => {
      err.message += ` (hs1 has ${JSON.stringify(last?.[0])}, hs2 has ${JSON.stringify(last?.[1])})`;
      throw err;
    });
    assert.ok(['the topic from hs1', 'the topic from hs2'].includes(last[0]), 'one of the two topics wins');
  }));

  // In a room of its own, so that what the topic step leaves in the first room does not decide it.
  it(`hs2 stops while alice sends ${WHILE_DOWN} messages; restarted, it gets them all`, {
    timeout: STEP_MS,
  }, () => withLogs(async () => {
    requires(done.joined, 'bob joined');
    const { room_id: second } = await alice.client.createRoom({ name: 'While hs2 is away', preset: 'private_chat' });
    await alice.client.invite(second, bob.userId);
    await eventually(() => bob.client.joinRoom(second, { viaServers: [HS1] }), 'bob to join the second room', FED_MS);
    await alice.client.sendTextMessage(second, 'before hs2 stops');
    await eventually(async () => bodies(await history(bob.client, second)).includes('before hs2 stops'),
      'bob\'s server to have the first message', FED_MS);

    stopAll(bob.client, carol.client);
    await hs2.stop();
    const sent = Array.from({ length: WHILE_DOWN }, (_, i) => `while hs2 was down ${String(i).padStart(2, '0')}`);
    for (const body of sent) await alice.client.sendTextMessage(second, body);
    await hs2.start();
    bob.client = clientFor(bob.credentials, { baseUrl: hs2.baseUrl });
    await startSyncing(bob.client);
    let last = [];
    await eventually(async () => {
      last = bodies(await history(bob.client, second)).filter((b) => b.startsWith('while hs2'));
      return last.length >= WHILE_DOWN;
    }, `bob's server to have the ${WHILE_DOWN} messages`, FED_MS).catch((err) => {
      err.message += ` (it has ${last.length}: ${JSON.stringify(last.slice(0, 3))}...)`;
      throw err;
    });
    assert.deepEqual(last, sent, 'all, once each, in order');
  }));
});
