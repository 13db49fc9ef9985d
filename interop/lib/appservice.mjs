// An application service (bridge) built on matrix-appservice-bridge, and a homeserver process of
// its own that loads the bridge's registration, for the application service test.
//
// The bridge: ghosts are the users of `@bridge_.*`, rooms it makes on request have aliases in
// `#bridge_.*`; both namespaces are exclusive. It joins its ghost to any room the ghost is invited
// to (the Intent registers the ghost first, with m.login.application_service), answers every
// m.text message in a room with a ghost in it with `bridged: <body>` as that ghost, and makes a
// room for any alias of its namespace the homeserver asks about (onAliasQuery). It records every
// event it is handed, every request it makes to the homeserver, and every request the homeserver
// makes to it, so a test can assert on them and a failure can show them.
//
// The homeserver is started from the jar run.sh passes on (MYELIN_JAR), with `generate-config`'s
// configuration plus `app_service_config_files`; it is stopped by its PID, also when the runner
// exits early (lib/federation.mjs's HomeserverProcess does that).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bridgeLib from 'matrix-appservice-bridge';
import botSdk from '@vector-im/matrix-bot-sdk';
import { HomeserverProcess, JAR, JAVA } from './federation.mjs';

const { Bridge, AppServiceRegistration, Logger } = bridgeLib;

const debug = Boolean(process.env.INTEROP_DEBUG);
Logger.configure({ console: debug ? 'debug' : 'off' });

/** The bridge's namespaces (regexes over user ids and aliases of any server name). */
export const GHOST_PREFIX = 'bridge_';
export const USER_REGEX = `@${GHOST_PREFIX}.*`;
export const ALIAS_REGEX = `#${GHOST_PREFIX}.*`;

/** A port the kernel picks as free on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Writes a registration file made by matrix-appservice-bridge's own `AppServiceRegistration`
 * (random tokens, exclusive user and alias namespaces) and returns { file, registration }.
 */
export function writeRegistration(file, { id, url, senderLocalpart, userRegex = USER_REGEX, aliasRegex = ALIAS_REGEX }) {
  const reg = new AppServiceRegistration(url);
  reg.setId(id);
  reg.setHomeserverToken(AppServiceRegistration.generateToken());
  reg.setAppServiceToken(AppServiceRegistration.generateToken());
  reg.setSenderLocalpart(senderLocalpart);
  reg.setRateLimited(false);
  reg.addRegexPattern('users', userRegex, true);
  if (aliasRegex) reg.addRegexPattern('aliases', aliasRegex, true);
  reg.outputAsYaml(file);
  return { file, registration: reg };
}

/**
 * Writes a homeserver configuration into `home` (generate-config's, rate limits lifted, plus
 * `app_service_config_files` naming `registrationFiles`) and returns its path.
 */
export function writeHomeserverConfig(home, { serverName, port, registrationFiles }) {
  const config = path.join(home, 'homeserver.yaml');
  mkdirSync(path.join(home, 'data'), { recursive: true });
  execFileSync(JAVA, ['-jar', JAR, 'generate-config', '--server-name', serverName, '--config-path', config,
    '--data-dir', path.join(home, 'data'), '--bind', '127.0.0.1', '--port', String(port), '--enable-registration'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  const generated = readFileSync(config, 'utf8')
    .replace(/per_second: *[0-9.]+/g, 'per_second: 10000')
    .replace(/burst_count: *[0-9]+/g, 'burst_count: 100000');
  const files = registrationFiles.map((f) => JSON.stringify(f)).join(', ');
  writeFileSync(config, `${generated}\napp_service_config_files: [${files}]\n`);
  return config;
}

/**
 * Starts a homeserver that loads the given registrations. Returns { server, dir, stop() };
 * `server` is a {@link HomeserverProcess} (baseUrl, tail(), grep()).
 */
export async function startHomeserver({ serverName, registrationFiles, dir }) {
  if (!JAR || !existsSync(JAR)) {
    throw new Error(`no homeserver jar: set MYELIN_JAR (run.sh does), got ${JAR}`);
  }
  const home = path.join(dir, 'hs');
  const server = new HomeserverProcess({ name: serverName, home, clientPort: await freePort(), federationPort: null });
  writeHomeserverConfig(home, { serverName, port: server.clientPort, registrationFiles });
  await server.start();
  return server;
}

/** Processes runExpectingRefusal started and not yet seen to exit: killed should the runner exit first. */
const refusals = new Set();
process.on('exit', () => {
  for (const child of refusals) child.kill('SIGKILL');
});

/**
 * Runs `java -jar myelin.jar run` with a configuration that is expected to be refused. Resolves
 * { code, output, ms } once the process exits, or { started: true, output, ms } (after killing
 * it) as soon as it answers on `port` instead; a process neither exited nor serving after
 * `limitMs` is killed and the promise rejects.
 */
export function runExpectingRefusal(config, port, limitMs = 60000) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(JAVA, ['-jar', JAR, 'run', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    refusals.add(child);
    child.once('exit', () => refusals.delete(child));
    let output = '';
    let poll;
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const end = (fn) => {
      clearTimeout(timer);
      clearTimeout(poll);
      fn();
    };
    const timer = setTimeout(() => end(() => {
      child.kill('SIGKILL');
      reject(new Error(`the homeserver neither exited nor served within ${limitMs / 1000}s; output:\n${output.slice(-3000)}`));
    }), limitMs);
    const probe = async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/_matrix/client/versions`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) {
          end(() => {
            child.kill('SIGKILL');
            resolve({ started: true, output, ms: Date.now() - started });
          });
          return;
        }
      } catch {
        // not serving
      }
      if (child.exitCode === null && child.signalCode === null) poll = setTimeout(probe, 300);
    };
    poll = setTimeout(probe, 300);
    child.once('error', (err) => end(() => reject(err)));
    child.once('close', (code, signal) => end(() => resolve({ code: code ?? signal, output, ms: Date.now() - started })));
  });
}

/** A temporary directory, removed by `removeDir` (kept with INTEROP_KEEP_DIR=1). */
export function makeDir() {
  return mkdtempSync(path.join(tmpdir(), 'myelin-appservice-'));
}

export function removeDir(dir) {
  if (!dir) return;
  if (process.env.INTEROP_KEEP_DIR === '1') {
    console.error(`interop: kept ${dir}`);
  } else {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Requests the bridge's Matrix clients make to the homeserver: { method, path, userId, body, status, errcode }. */
const clientRequests = [];
const realRequest = botSdk.getRequestFn();
botSdk.setRequestFn((params, callback) => realRequest(params, (err, res, body) => {
  let parsed = body;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      // not JSON
    }
  }
  let sent = params.body;
  if (typeof sent === 'string') {
    try {
      sent = JSON.parse(sent);
    } catch {
      // not JSON
    }
  }
  clientRequests.push({
    method: params.method,
    path: new URL(params.uri).pathname,
    userId: params.qs?.user_id,
    body: sent,
    status: err ? `error ${err.code ?? err.message}` : res.statusCode,
    errcode: parsed?.errcode,
    error: parsed?.error,
  });
  callback(err, res, body);
}));

/** One line per request, for failure messages and the report. */
export function formatRequest(r) {
  const as = r.userId ? ` as ${r.userId}` : '';
  const type = r.body?.type ? ` {type: ${r.body.type}${r.body.username ? `, username: ${r.body.username}` : ''}}` : '';
  const err = r.errcode ? ` ${r.errcode} ${r.error ?? ''}` : '';
  return `${r.method} ${r.path}${as}${type} -> ${r.status}${err}`;
}

/**
 * The bridge. `start()` initialises it and opens its HTTP listener on 127.0.0.1:`port`;
 * `stopListening()` closes the listener (and every open connection) as a crashed bridge would
 * disappear; `listen()` opens it again; `close()` stops everything.
 */
export class TestBridge {
  constructor({ homeserverUrl, domain, registration, port }) {
    this.port = port;
    this.domain = domain;
    /** Every event the homeserver pushed, in the order the bridge was handed them, with when. */
    this.events = [];
    /** Requests the homeserver made to the bridge's listener (morgan lines), with when. */
    this.inbound = [];
    /** Aliases the bridge made a room for: { alias, roomId }. */
    this.aliases = [];
    /** Replies the bridge sent: promises of { roomId, eventId } or an Error. */
    this.replies = [];
    /** Failures inside the bridge's handlers. */
    this.errors = [];
    /** Room id → the ghost the bridge joined there. */
    this.ghostIn = new Map();
    this.clientRequests = clientRequests;
    this.bridge = new Bridge({
      homeserverUrl,
      domain,
      registration,
      disableStores: true,
      suppressEcho: true,
      logRequestOutcome: false,
      queue: { type: 'single', perRequest: false },
      controller: {
        onEvent: (request) => this.#onEvent(request),
        onUserQuery: (user) => ({ name: `${user.localpart} (bridged)` }),
        onAliasQuery: (alias, localpart) => ({
          creationOpts: {
            room_alias_name: localpart,
            name: `Bridged ${localpart}`,
            topic: `a room the bridge made for ${alias}`,
            preset: 'public_chat',
            visibility: 'private',
          },
        }),
        onAliasQueried: (alias, roomId) => {
          this.aliases.push({ alias, roomId });
        },
        onLog: (line, isError) => {
          if (debug || isError) console.error(`bridge: ${line}`);
          // matrix-appservice logs each request it served in the "combined" format
          const m = /"(GET|PUT|POST|DELETE) ([^ ]+) HTTP\/[0-9.]+" (\d+)/.exec(line);
          if (m) this.inbound.push({ at: Date.now(), method: m[1], path: m[2].split('?')[0], status: Number(m[3]) });
        },
      },
    });
  }

  async start() {
    await this.bridge.initialise();
    await this.listen();
  }

  /** Opens the HTTP listener the homeserver pushes to (a new AppService on the same port). */
  async listen() {
    await this.bridge.listen(this.port, '127.0.0.1');
    this.listening = true;
  }

  /** Closes the HTTP listener: new connections are refused and open ones cut. */
  async stopListening() {
    const as = this.bridge.appService;
    const { server } = as;
    const closed = as.close();
    server.closeAllConnections();
    await closed;
    this.listening = false;
  }

  /** Stops the bridge: its listener, its connections and its timers. */
  async close() {
    if (this.listening) this.bridge.appService.server.closeAllConnections();
    this.listening = false;
    try {
      // clears the bridge's timers, then closes its listener
      await this.bridge.close();
    } catch {
      // the listener was closed already (stopListening), which ends close() before its last step
      this.bridge.getRequestFactory()?.close();
    }
  }

  /** The ghost's Intent, as the bridge hands it out. */
  intent(userId) {
    return this.bridge.getIntent(userId);
  }

  #onEvent(request) {
    const event = request.getData();
    this.events.push({ at: Date.now(), event });
    // a failure is recorded for the test to report; rejecting the request would only surface as
    // an unhandled rejection inside the bridge library
    this.#handle(event).catch((err) => this.errors.push(err)).finally(() => request.resolve());
  }

  async #handle(event) {
    const isGhost = (id) => typeof id === 'string' && id.startsWith(`@${GHOST_PREFIX}`) && id.endsWith(`:${this.domain}`);
    if (event.type === 'm.room.member' && event.content?.membership === 'invite' && isGhost(event.state_key)) {
      await this.intent(event.state_key).join(event.room_id);
      this.ghostIn.set(event.room_id, event.state_key);
      return;
    }
    if (event.type === 'm.room.message' && event.content?.msgtype === 'm.text' && !isGhost(event.sender)) {
      const ghost = this.ghostIn.get(event.room_id);
      if (!ghost) return;
      const reply = this.intent(ghost).sendText(event.room_id, `bridged: ${event.content.body}`)
        .then((r) => ({ roomId: event.room_id, eventId: r.event_id }), (err) => err);
      this.replies.push(reply);
      const r = await reply;
      if (r instanceof Error) throw r;
    }
  }

  /** The bodies of the m.room.message events the bridge was handed in `roomId`, in order. */
  messages(roomId) {
    return this.events.filter(({ event }) => event.room_id === roomId && event.type === 'm.room.message')
      .map(({ event }) => event.content?.body);
  }

  /** A summary of what the bridge saw, for failure messages. */
  describe() {
    const inbound = this.inbound.slice(-15).map((r) => `  ${r.method} ${r.path} -> ${r.status}`).join('\n');
    const outbound = this.clientRequests.slice(-15).map((r) => `  ${formatRequest(r)}`).join('\n');
    const events = this.events.slice(-10).map(({ event }) => `  ${event.type} ${event.state_key ?? ''} ${event.sender} ${event.content?.membership ?? event.content?.body ?? ''}`).join('\n');
    const errors = this.errors.map((e) => `  ${e.message ?? e}`).join('\n');
    return `\n--- requests to the bridge ---\n${inbound}\n--- the bridge's requests ---\n${outbound}\n--- events it got ---\n${events}${errors ? `\n--- its errors ---\n${errors}` : ''}`;
  }
}
