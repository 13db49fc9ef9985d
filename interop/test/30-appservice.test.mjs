// An application service built on matrix-appservice-bridge, registered with a homeserver process
// of this file's own (lib/appservice.mjs) through the registration YAML the bridge library writes.
// The story: a second registration claiming the same exclusive namespace makes the homeserver
// refuse to start; the bridge's as_token is accepted; a matrix-js-sdk user invites a ghost of
// the bridge's namespace, which the bridge registers (m.login.application_service) and joins; the
// user's message reaches the bridge in a transaction and the ghost answers; an alias of the
// bridge's namespace is resolved by asking the bridge, which makes the room; the bridge's listener
// goes away while the user sends messages, and they reach it, in order, once it is back.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  registerUser, needs, stopAll, startSyncing, roomSeen, timelineEvent, waitForEvent, eventually, requires,
  WAIT_MS,
} from '../lib/harness.mjs';
import {
  TestBridge, writeRegistration, writeHomeserverConfig, startHomeserver, runExpectingRefusal, freePort, makeDir,
  removeDir, formatRequest, USER_REGEX,
} from '../lib/appservice.mjs';

const SERVER_NAME = 'localhost';
const GHOST = `@bridge_bob:${SERVER_NAME}`;
const ALIAS = `#bridge_x:${SERVER_NAME}`;
/** The homeserver log lines a failure shows. */
const LOG_LINES = { test: (l) => /WARN|ERROR|app.?service|transaction/i.test(l) && !/Migrator|trusted_key_servers/.test(l) };
/** Messages sent while the bridge is away. */
const WHILE_AWAY = Array.from({ length: 5 }, (_, i) => `while away ${i + 1}`);
/** How long the bridge stays away after the last of them was sent. */
const AWAY_MS = 3000;
/** How long the homeserver may take to deliver them once the bridge is back (its backoff doubles from 1 s). */
const RETRY_MS = Number(process.env.INTEROP_AS_RETRY_MS ?? 30000);

describe('application service built on matrix-appservice-bridge', { timeout: 240000 }, () => {
  let dir;
  let server;
  let bridge;
  let alice;
  let roomId;
  const done = {};

  before(async () => {
    dir = makeDir();
    const port = await freePort();
    const { file } = writeRegistration(path.join(dir, 'bridge-registration.yaml'), {
      id: 'interop-bridge', url: `http://127.0.0.1:${port}`, senderLocalpart: 'bridgebot',
    });
    server = await startHomeserver({ serverName: SERVER_NAME, registrationFiles: [file], dir });
    bridge = new TestBridge({ homeserverUrl: server.baseUrl, domain: SERVER_NAME, registration: file, port });
    await bridge.start();
  }, { timeout: 120000 });

  after(async () => {
    stopAll(alice?.client);
    await bridge?.close();
    await server?.stop();
    removeDir(dir);
  }, { timeout: 60000 });

  /** Adds what the bridge saw and the homeserver's recent appservice log lines to a failure. */
  async function withContext(fn) {
    try {
      return await fn();
    } catch (err) {
      err.message += `${bridge?.describe() ?? ''}\n--- homeserver log (appservice lines) ---\n${server?.grep(LOG_LINES, 20) ?? ''}`;
      throw err;
    }
  }

  /**
   * Starts the jar with the bridge's namespaces and a second registration claiming `userRegex`
   * exclusively; returns what runExpectingRefusal saw and the two files' names.
   */
  async function startWithSecond(name, userRegex) {
    const first = writeRegistration(path.join(dir, `${name}-first.yaml`), {
      id: `${name}-first`, url: 'http://127.0.0.1:9', senderLocalpart: `${name}firstbot`,
    });
    const second = writeRegistration(path.join(dir, `${name}-second.yaml`), {
      id: `${name}-second`, url: 'http://127.0.0.1:9', senderLocalpart: `${name}secondbot`, userRegex, aliasRegex: null,
    });
    const port = await freePort();
    const config = writeHomeserverConfig(path.join(dir, name), {
      serverName: SERVER_NAME, port, registrationFiles: [first.file, second.file],
    });
    return { ...(await runExpectingRefusal(config, port)), files: [path.basename(first.file), path.basename(second.file)] };
  }

  function assertRefused({ started, code, output, ms, files }, regex, t) {
    assert.ok(!started, `the homeserver refuses to start, but it served after ${ms} ms; output:\n${output.slice(-2000)}`);
    const says = output.split('\n').find((l) => files.every((f) => l.includes(f)));
    t.diagnostic(`exit code ${code} after ${ms} ms: ${says}`);
    assert.notEqual(code, 0, `the homeserver exits with an error; output:\n${output}`);
    assert.ok(says, `one line names both registration files; output:\n${output}`);
    assert.ok(says.includes(regex), `and the namespace (${regex}): ${says}`);
    assert.match(says, /exclusive/);
  }

  it('refuses to start with a second registration claiming the bridge\'s exclusive user namespace', async (t) => {
    assertRefused(await startWithSecond('same', USER_REGEX), USER_REGEX, t);
  });

  it('refuses to start with a second registration whose exclusive namespace overlaps the bridge\'s (@bridge_b.*)',
    async (t) => {
      assertRefused(await startWithSecond('overlap', '@bridge_b.*'), '@bridge_', t);
    });

  it('accepts the bridge\'s as_token: whoami is its sender, bridgebot', () => withContext(async () => {
    const bot = bridge.bridge.getBot().getClient();
    const whoami = await needs('whoami with an as_token', () => bot.doRequest('GET', '/_matrix/client/v3/account/whoami'));
    assert.equal(whoami.user_id, `@bridgebot:${SERVER_NAME}`);
    done.token = true;
  }));

  it('a js-sdk user invites a ghost: the invite reaches the bridge in a transaction, it registers the ghost and joins', (t) => withContext(async () => {
    requires(done.token, 'the bridge known to the homeserver');
    alice = await registerUser('alice', { clientOptions: { baseUrl: server.baseUrl } });
    await startSyncing(alice.client);
    ({ room_id: roomId } = await needs('createRoom', () => alice.client.createRoom({
      name: 'Bridged chat', preset: 'private_chat', visibility: 'private',
    })));
    await roomSeen(alice.client, roomId);
    const joined = waitForEvent(alice.client, 'RoomMember.membership',
      (_e, member) => member.roomId === roomId && member.userId === GHOST && member.membership === 'join',
      `${GHOST} to join (after the bridge got the invite)`);
    const invitedAt = Date.now();
    await needs('invite of a ghost', () => alice.client.invite(roomId, GHOST));
    const isInvite = ({ event }) => event.type === 'm.room.member' && event.state_key === GHOST
      && event.content?.membership === 'invite';
    try {
      await joined;
    } catch (err) {
      if (!bridge.events.some(isInvite)) {
        throw new Error(`needs transactions pushed to the application service: the invite did not reach the bridge (${err.message})`);
      }
      throw err;
    }
    t.diagnostic(`the ghost joined ${Date.now() - invitedAt} ms after the invite`);
    t.diagnostic(`to the bridge: ${bridge.inbound.map((r) => `${r.method} ${decodeURIComponent(r.path)} -> ${r.status}`).join('; ')}`);
    t.diagnostic(`from the bridge: ${bridge.clientRequests.slice(1).map(formatRequest).join('; ')}`);

    const invite = bridge.events.find(isInvite);
    assert.equal(invite.event.sender, alice.userId);
    assert.equal(invite.event.room_id, roomId);
    assert.ok(bridge.inbound.some((r) => r.method === 'PUT' && r.path.startsWith('/_matrix/app/v1/transactions/') && r.status === 200),
      'through PUT /_matrix/app/v1/transactions/{txnId}');
    const registered = bridge.clientRequests.find((r) => r.method === 'POST' && r.path === '/_matrix/client/v3/register'
      && r.body?.type === 'm.login.application_service' && r.body?.username === 'bridge_bob');
    assert.ok(registered, 'the bridge registered the ghost with m.login.application_service');
    assert.equal(registered.status, 200, formatRequest(registered));
    const join = bridge.clientRequests.find((r) => r.method === 'POST' && r.path.includes('/join') && r.userId === GHOST);
    assert.ok(join, 'and joined as the ghost (user_id masquerading)');
    assert.equal(join.status, 200, formatRequest(join));
    done.ghost = true;
  }));

  it('the user\'s message reaches the bridge and the ghost answers; the user sees the answer', (t) => withContext(async () => {
    requires(done.ghost, 'the ghost in the room');
    const answered = timelineEvent(alice.client, roomId,
      (e) => e.getSender() === GHOST && e.getContent().body === 'bridged: hello bridge', 'the ghost\'s answer');
    const sentAt = Date.now();
    const { event_id: eventId } = await alice.client.sendTextMessage(roomId, 'hello bridge');
    const answer = await answered;
    t.diagnostic(`the answer came ${Date.now() - sentAt} ms after the message was sent`);
    assert.equal(answer.getType(), 'm.room.message');
    assert.equal(answer.getContent().msgtype, 'm.text');
    const got = bridge.events.find(({ event }) => event.event_id === eventId);
    assert.ok(got, 'the bridge was handed the message');
    assert.equal(got.event.sender, alice.userId);
    assert.deepEqual(got.event.content, { msgtype: 'm.text', body: 'hello bridge' });
    assert.equal(bridge.events.filter(({ event }) => event.event_id === eventId).length, 1, 'once');
    done.message = true;
  }));

  it('an alias of the bridge\'s namespace: the homeserver asks the bridge, which makes the room; the user joins it by alias', (t) => withContext(async () => {
    requires(done.token, 'the bridge known to the homeserver');
    requires(alice, 'the js-sdk user');
    const askedAt = Date.now();
    const resolved = await needs(`GET /directory/room/${ALIAS} (answered by asking the bridge)`,
      () => alice.client.getRoomIdForAlias(ALIAS)).catch((err) => {
      if (!bridge.inbound.some((r) => r.path.startsWith('/_matrix/app/v1/rooms/'))) {
        throw new Error(`needs alias queries to the application service (GET /_matrix/app/v1/rooms/{roomAlias}): ${err.message}`);
      }
      throw err;
    });
    t.diagnostic(`the alias resolved ${Date.now() - askedAt} ms after the request`);
    const query = bridge.inbound.find((r) => r.method === 'GET' && r.path.startsWith('/_matrix/app/v1/rooms/'));
    assert.ok(query, 'the homeserver asked GET /_matrix/app/v1/rooms/{roomAlias}');
    assert.equal(decodeURIComponent(query.path.slice('/_matrix/app/v1/rooms/'.length)), ALIAS);
    assert.deepEqual(bridge.aliases, [{ alias: ALIAS, roomId: resolved.room_id }], 'the bridge made that room for the alias');
    const again = await alice.client.getRoomIdForAlias(ALIAS);
    assert.equal(again.room_id, resolved.room_id);
    assert.equal(bridge.aliases.length, 1, 'a known alias is not asked about again');

    await needs('join by alias', () => alice.client.joinRoom(ALIAS));
    const room = await roomSeen(alice.client, resolved.room_id);
    await eventually(() => room.name === 'Bridged bridge_x', `the room's name through sync (is "${room.name}")`);
    assert.equal(room.getMember(`@bridgebot:${SERVER_NAME}`)?.membership, 'join', 'the bridge\'s bot made it');
  }));

  it('the bridge away: messages sent meanwhile reach it, in order, once it is back', (t) => withContext(async () => {
    requires(done.message, 'a bridged room where messages reach the bridge');
    await bridge.stopListening();
    const stoppedAt = Date.now();
    const sendTimes = [];
    for (const body of WHILE_AWAY) {
      const start = Date.now();
      await alice.client.sendTextMessage(roomId, body);
      sendTimes.push(Date.now() - start);
    }
    t.diagnostic(`sent ${WHILE_AWAY.length} messages while the bridge was away, in ${sendTimes.join(', ')} ms`);
    assert.ok(Math.max(...sendTimes) < 5000, `a bridge that is away does not slow sending (${sendTimes.join(', ')} ms)`);
    await new Promise((r) => setTimeout(r, AWAY_MS));
    assert.deepEqual(bridge.messages(roomId).filter((b) => WHILE_AWAY.includes(b)), [], 'nothing reached the closed listener');

    const inboundBefore = bridge.inbound.length;
    await bridge.listen();
    const backAt = Date.now();
    await eventually(() => WHILE_AWAY.every((b) => bridge.messages(roomId).includes(b)),
      `all ${WHILE_AWAY.length} messages at the bridge within ${RETRY_MS / 1000}s of its return`, RETRY_MS);
    const arrivedAt = Date.now();
    t.diagnostic(`away ${backAt - stoppedAt} ms; the messages arrived ${arrivedAt - backAt} ms after it was back`);
    const transactions = bridge.inbound.slice(inboundBefore).filter((r) => r.path.startsWith('/_matrix/app/v1/transactions/'));
    t.diagnostic(`transactions after the return: ${transactions.map((r) => `${r.path.split('/').pop()} +${r.at - backAt} ms`).join(', ')}`);
    assert.deepEqual(bridge.messages(roomId).filter((b) => WHILE_AWAY.includes(b)), WHILE_AWAY, 'in order, each once');

    // the ghost answers each of them, and the user sees the answers
    await eventually(() => {
      const seen = alice.client.getRoom(roomId).getLiveTimeline().getEvents()
        .filter((e) => e.getSender() === GHOST).map((e) => e.getContent().body);
      return WHILE_AWAY.every((b) => seen.includes(`bridged: ${b}`));
    }, 'the ghost\'s answers to them through the user\'s sync', WAIT_MS);
  }));
});
