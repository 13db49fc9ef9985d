// The test-server mode as a bot's test suite in another language uses it: this file starts its
// own `java -jar myelin.jar test-server --fake-clock` process (the jar and java run.sh passes on),
// waits for its one "ready" line, and drives it with matrix-js-sdk and plain fetch: a long-poll
// /sync with a ten-minute timeout returns as soon as the server's clock is advanced past it, and a
// reset leaves nothing behind. The process is stopped with SIGTERM (killed should the runner exit
// first). Its port is INTEROP_TEST_SERVER_PORT, else one the kernel picks (--port 0).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once as eventOnce } from 'node:events';
import { sdk, registerUser, anonymousClient, clientFor, once, within } from '../lib/harness.mjs';

const JAR = process.env.MYELIN_JAR;
const JAVA = process.env.MYELIN_JAVA ?? 'java';
const PORT = process.env.INTEROP_TEST_SERVER_PORT ?? '0';
const STARTUP_MS = Number(process.env.INTEROP_STARTUP_TIMEOUT ?? 60) * 1000;
const STOP_MS = 20000;

let child = null;
process.on('exit', () => child?.exitCode === null && child.kill('SIGKILL'));

/** Starts the process and resolves with its base URL once it prints its ready line. */
function startTestServer() {
  if (!JAR) throw new Error('no homeserver jar: set MYELIN_JAR (run.sh does)');
  child = spawn(JAVA, ['-jar', JAR, 'test-server', '--port', PORT, '--fake-clock'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-4000);
  });
  const ready = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/myelin test-server ready at (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code, signal) => reject(new Error(`test-server exited (${code ?? signal}) before it was ready:\n${log}`)));
  });
  return within(STARTUP_MS, ready, 'the test-server ready line');
}

async function call(baseUrl, method, path, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30000),
  });
  return { status: res.status, json: await res.json() };
}

/** Waits until at least `count` timers wait on the server's clock (a long-poll's timeout is one). */
async function awaitTimers(baseUrl, count) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const { json } = await call(baseUrl, 'GET', '/_myelin/test/v1/clock');
    if (json.pending_timers >= count) return;
    if (Date.now() > deadline) throw new Error(`the clock never had ${count} timers: ${JSON.stringify(json)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('test-server (fake clock)', () => {
  const server = once(startTestServer);

  after(async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = eventOnce(running, 'exit');
    running.kill('SIGTERM');
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_MS);
    });
    const how = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (how === 'late') {
      running.kill('SIGKILL');
      await exited;
      assert.fail(`test-server did not stop within ${STOP_MS / 1000}s of SIGTERM`);
    }
  });

  it('answers a long-poll /sync once the clock passes its timeout, not before', async () => {
    const baseUrl = await server();
    const alice = await registerUser('alice', { clientOptions: { baseUrl } });
    assert.match(alice.userId, /:localhost$/);
    const first = await alice.client.http.authedRequest(sdk.Method.Get, '/sync', { timeout: '0' });
    const timers = (await call(baseUrl, 'GET', '/_myelin/test/v1/clock')).json.pending_timers;

    const started = Date.now();
    let answered = false;
    const poll = alice.client.http
      .authedRequest(sdk.Method.Get, '/sync', { since: first.next_batch, timeout: '600000' }, undefined, { localTimeoutMs: 60000 })
      .finally(() => {
        answered = true;
      });
    await awaitTimers(baseUrl, timers + 1);

    const almost = await call(baseUrl, 'POST', '/_myelin/test/v1/clock/advance', { ms: 599999 });
    assert.equal(almost.status, 200);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(answered, false, 'the long-poll returned before its timeout');

    await call(baseUrl, 'POST', '/_myelin/test/v1/clock/advance', { ms: 1 });
    const sync = await within(10000, poll, 'the long-poll after the clock passed its timeout');
    assert.equal(sync.next_batch, first.next_batch, 'nothing happened meanwhile');
    assert.ok(Date.now() - started < 30000, 'ten minutes of server time took seconds');
  });

  it('refuses bad advances with Matrix errors', async () => {
    const baseUrl = await server();
    const negative = await call(baseUrl, 'POST', '/_myelin/test/v1/clock/advance', { ms: -5 });
    assert.deepEqual([negative.status, negative.json.errcode], [400, 'M_INVALID_PARAM']);
    const fraction = await call(baseUrl, 'POST', '/_myelin/test/v1/clock/advance', { ms: 0.5 });
    assert.deepEqual([fraction.status, fraction.json.errcode], [400, 'M_BAD_JSON']);
  });

  it('empties everything on reset, on the same port', async () => {
    const baseUrl = await server();
    const bob = await registerUser('bob', { clientOptions: { baseUrl } });
    const { room_id: roomId } = await bob.client.createRoom({ name: 'before the reset' });
    assert.ok(roomId);
    const before = (await call(baseUrl, 'GET', '/_myelin/test/v1/clock')).json.now_ms;

    const reset = await call(baseUrl, 'POST', '/_myelin/test/v1/reset', {});
    assert.deepEqual([reset.status, reset.json], [200, {}]);

    const err = await bob.client.whoami().then(() => null, (e) => e);
    assert.equal(err?.errcode, 'M_UNKNOWN_TOKEN', 'the old access token is gone');
    // the name is free again
    const again = await anonymousClient(baseUrl).registerRequest({
      username: bob.username, password: 'another-Password-2', auth: { type: 'm.login.dummy' },
    });
    assert.equal(again.user_id, bob.userId);
    const client = clientFor(again, { baseUrl });
    const rooms = await client.getJoinedRooms();
    assert.deepEqual(rooms.joined_rooms, []);
    assert.equal((await call(baseUrl, 'GET', '/_myelin/test/v1/clock')).json.now_ms, before, 'the clock keeps its time');
  });
});
