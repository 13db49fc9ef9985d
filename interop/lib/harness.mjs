// Shared helpers for the interop tests: users, clients, bounded waits, and failures that name
// the homeserver feature a test depends on.
import { randomBytes } from 'node:crypto';
import * as sdk from 'matrix-js-sdk';

export { sdk };

export const BASE_URL = process.env.MYELIN_BASE_URL ?? 'http://127.0.0.1:8008';
export const SERVER_NAME = process.env.MYELIN_SERVER_NAME ?? 'localhost';
export const PASSWORD = 'interop-Password-1';
/** How long one wait for something to show up through sync may take. */
export const WAIT_MS = Number(process.env.INTEROP_WAIT_MS ?? 15000);

/** The SDK logs every failed request; the tests report what matters, so it stays quiet unless INTEROP_DEBUG. */
const quietLogger = {
  trace() {}, debug() {}, info() {}, warn() {}, error() {},
  getChild() {
    return quietLogger;
  },
};
const clientLogger = process.env.INTEROP_DEBUG ? {} : { logger: quietLogger };

/**
 * Memoizes an async set-up: every test of a file awaits the same promise, so a failed set-up
 * fails each test with its reason (a failing `before` hook would only cancel them).
 */
export function once(setup) {
  let promise;
  return () => {
    promise ??= setup().catch((err) => {
      throw new Error(`set-up failed: ${err.message}`);
    });
    return promise;
  };
}

/** A unique, valid localpart: tests share one server and never see each other's users. */
export function localpart(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Whether `err` says the homeserver does not serve the endpoint at all. */
export function isUnrecognized(err) {
  const status = err?.httpStatus ?? err?.statusCode;
  return err?.errcode === 'M_UNRECOGNIZED' || (status === 404 && !err?.errcode);
}

function describe(err) {
  if (!err) return String(err);
  const httpStatus = err.httpStatus ?? err.statusCode;
  const status = httpStatus ? `HTTP ${httpStatus}` : '';
  const code = err.errcode ?? '';
  const url = err.url ? ` (${err.url.replace(BASE_URL, '')})` : '';
  const text = err.data?.error ?? err.body?.error ?? err.error ?? err.message;
  return [status, code, typeof text === 'string' ? text : JSON.stringify(text)].filter(Boolean).join(' ') + url;
}

/**
 * Runs `fn`, and when the homeserver answers that an endpoint is not served, fails with a
 * message naming the feature the test needs, so a missing feature reads as such in the report.
 */
export async function needs(feature, fn) {
  try {
    return await fn();
  } catch (err) {
    if (isUnrecognized(err)) {
      throw new Error(`needs ${feature}: the homeserver does not serve it yet: ${describe(err)}`);
    }
    if (err?.httpStatus ?? err?.statusCode) {
      throw new Error(`${feature}: ${describe(err)}`);
    }
    throw err;
  }
}

/** Rejects after `ms` with a message saying what was awaited. */
export function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000}s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Resolves with the arguments of the first `eventName` emitted by `emitter` that `predicate`
 * accepts; fails after `ms`. Start waiting before doing what triggers the event.
 */
export function waitForEvent(emitter, eventName, predicate, what, ms = WAIT_MS) {
  let listener;
  const seen = new Promise((resolve) => {
    listener = (...args) => {
      let ok = false;
      try {
        ok = predicate(...args);
      } catch {
        ok = false;
      }
      if (ok) resolve(args);
    };
    emitter.on(eventName, listener);
  });
  return within(ms, seen, what).finally(() => emitter.removeListener(eventName, listener));
}

/** Polls `check` until it returns a truthy value; fails after `ms`. */
export async function eventually(check, what, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms / 1000}s waiting for ${what}${last ? `: last error ${describe(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A client with no credentials, for registration and login (on `baseUrl`, by default the suite's server). */
export function anonymousClient(baseUrl = BASE_URL) {
  return sdk.createClient({ baseUrl, ...clientLogger });
}

/**
 * A client acting with the credentials of a /register or /login response; `options` go to
 * `createClient` as well (for example `cryptoCallbacks`, or the `baseUrl` of another server).
 */
export function clientFor(credentials, options = {}) {
  return sdk.createClient({
    baseUrl: BASE_URL,
    accessToken: credentials.access_token,
    userId: credentials.user_id,
    deviceId: credentials.device_id,
    timelineSupport: true,
    ...clientLogger,
    ...options,
  });
}

/**
 * Registers a user through the user-interactive m.login.dummy flow: the first request must be
 * answered 401 with a session and a flow made of m.login.dummy alone; the second completes it.
 * Returns { username, userId, credentials, client }.
 */
export async function registerUser(prefix, { deviceName = `interop ${prefix}`, clientOptions = {} } = {}) {
  const username = localpart(prefix);
  const anon = anonymousClient(clientOptions.baseUrl);
  let session;
  let flows;
  try {
    await anon.registerRequest({ username, password: PASSWORD, initial_device_display_name: deviceName });
    throw new Error('registration without auth succeeded; expected a 401 listing the UIA flows');
  } catch (err) {
    if (err.httpStatus !== 401) {
      if (isUnrecognized(err)) throw new Error(`needs registration: ${describe(err)}`);
      throw err;
    }
    session = err.data?.session;
    flows = err.data?.flows;
  }
  if (!Array.isArray(flows) || !flows.some((f) => f.stages?.length === 1 && f.stages[0] === 'm.login.dummy')) {
    throw new Error(`the 401 offers no m.login.dummy flow: ${JSON.stringify(flows)}`);
  }
  const credentials = await anon.registerRequest({
    username, password: PASSWORD, initial_device_display_name: deviceName, auth: { type: 'm.login.dummy', session },
  });
  return { username, userId: credentials.user_id, credentials, client: clientFor(credentials, clientOptions) };
}

/**
 * Logs in with a password (a new device) and returns the credentials and a client using them
 * (created with `clientOptions`; the login goes to their `baseUrl` too, when given).
 */
export async function login(username, password = PASSWORD, deviceName = 'interop login', clientOptions = {}) {
  const credentials = await anonymousClient(clientOptions.baseUrl).loginRequest({
    type: 'm.login.password',
    identifier: { type: 'm.id.user', user: username },
    password,
    initial_device_display_name: deviceName,
  });
  return { credentials, client: clientFor(credentials, clientOptions) };
}

/**
 * Starts the client's sync loop and waits until its first sync is processed. A sync failure
 * (the endpoint missing, an error) fails at once with the server's answer instead of waiting.
 */
export async function startSyncing(client, ms = WAIT_MS) {
  const ready = new Promise((resolve, reject) => {
    const onSync = (state, _prev, data) => {
      if (state === 'PREPARED' || state === 'SYNCING') {
        client.removeListener('sync', onSync);
        resolve();
      } else if (state === 'ERROR' || state === 'RECONNECTING') {
        client.removeListener('sync', onSync);
        const err = data?.error;
        const prefix = isUnrecognized(err)
          ? 'needs /sync and the requests the SDK makes before it (push rules, filter): not served yet'
          : 'the first sync failed';
        reject(new Error(`${prefix}: ${describe(err)}`));
      }
    };
    client.on('sync', onSync);
  });
  await client.startClient({ initialSyncLimit: 30, lazyLoadMembers: false });
  await within(ms, ready, `${client.getUserId()}'s first sync`);
}

/** Stops every given client, ignoring ones never started. */
export function stopAll(...clients) {
  for (const c of clients) {
    try {
      c?.stopClient();
    } catch {
      // already stopped
    }
  }
}

/** Waits until `client` has the room (after a join/create seen through sync). */
export function roomSeen(client, roomId, what = `room ${roomId} in ${client.getUserId()}'s sync`) {
  const room = client.getRoom(roomId);
  if (room && room.getMyMembership() === 'join') return Promise.resolve(room);
  return waitForEvent(client, 'Room.myMembership', (r, membership) => r.roomId === roomId && membership === 'join', what)
    .then(([r]) => r);
}

/** Waits for a timeline event in `roomId` that `predicate` accepts, as seen by `client`'s sync. */
export function timelineEvent(client, roomId, predicate, what) {
  const existing = client.getRoom(roomId)?.getLiveTimeline().getEvents().find(predicate);
  if (existing) return Promise.resolve(existing);
  return waitForEvent(client, 'Room.timeline',
    (event, room, toStartOfTimeline) => !toStartOfTimeline && room?.roomId === roomId && predicate(event), what)
    .then(([event]) => event);
}

/** Creates a room with a name and topic, invites `invitee` and has them join; returns the room id. */
export async function sharedRoom(owner, invitee, { name = 'Interop room', topic = 'interop topic' } = {}) {
  const { room_id: roomId } = await needs('createRoom', () => owner.client.createRoom({
    name, topic, preset: 'private_chat', visibility: 'private',
  }));
  await needs('invite', () => owner.client.invite(roomId, invitee.userId));
  await needs('join', () => invitee.client.joinRoom(roomId));
  return roomId;
}

/** Fails at once, with `needs <what>`, when an earlier step this test builds on did not happen. */
export function requires(value, what) {
  if (!value) throw new Error(`needs ${what}`);
}
