// A second device and server-side key backup with matrix-js-sdk's Rust crypto (WASM, in memory).
// Bob decrypts a message on his first device and backs its room key up (secret storage in global
// account data, a backup version, the key uploaded to /room_keys). Then he logs in on a second
// device: alice's client learns of it through the device lists in /sync and shares the room key
// of her next message with it over to-device; the earlier message, sent before the second device
// existed, decrypts there only after restoring the backup with the key from secret storage.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  registerUser, login, once, needs, stopAll, startSyncing, roomSeen, timelineEvent, eventually, requires,
  PASSWORD, WAIT_MS,
} from '../lib/harness.mjs';

/**
 * Crypto callbacks answering every secret storage request with the one key the test created;
 * `cacheSecretStorageKey` is called by bootstrapSecretStorage when it makes that key.
 */
function secretStorageCallbacks(keyStore) {
  return {
    cacheSecretStorageKey: (keyId, _info, key) => {
      keyStore.id = keyId;
      keyStore.key = key;
    },
    getSecretStorageKey: async ({ keys }) => {
      if (!keyStore.key || !(keyStore.id in keys)) return null;
      return [keyStore.id, keyStore.key];
    },
  };
}

/** Waits until `client` has decrypted `event` (retrying a failed decryption) and returns its body. */
async function decryptedBody(client, event, what) {
  await eventually(async () => {
    if (event.isDecryptionFailure()) {
      await client.decryptEventIfNeeded(event, { emit: false, isRetry: true });
    }
    return !event.isBeingDecrypted() && !event.isDecryptionFailure() && event.getType() === 'm.room.message';
  }, `${what} (last failure: ${event.decryptionFailureReason ?? 'none'})`, WAIT_MS);
  return event.getContent().body;
}

/** The raw session id a megolm event was encrypted with. */
function sessionIdOf(event) {
  return event.getWireContent().session_id;
}

describe('end-to-end encryption: a second device and key backup', () => {
  const secretKey = {};
  let alice;
  let bob;
  let bob2;
  let roomId;
  let early; // { id, text, sessionId }: alice's message from before bob's second device
  let backupVersion;
  let secondDeviceReady = false;

  const setup = once(async () => {
    alice = await registerUser('alice-e2ee2');
    bob = await registerUser('bob-e2ee2', {
      deviceName: 'bob first device', clientOptions: { cryptoCallbacks: secretStorageCallbacks(secretKey) },
    });
    for (const user of [alice, bob]) {
      await user.client.initRustCrypto({ useIndexedDB: false });
      await startSyncing(user.client);
    }
    const created = await needs('createRoom', () => alice.client.createRoom({
      name: 'Encrypted, two devices', preset: 'private_chat', visibility: 'private', invite: [bob.userId],
      initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
    }));
    roomId = created.room_id;
    await needs('join', () => bob.client.joinRoom(roomId));
    await roomSeen(alice.client, roomId);
    await eventually(() => alice.client.getRoom(roomId)?.getMember(bob.userId)?.membership === 'join',
      'alice to see bob joined');
  });

  after(() => stopAll(alice?.client, bob?.client, bob2?.client));

  it('bob decrypts a message on his first device and backs its room key up', async () => {
    await setup();
    const text = `before the second device ${Date.now()}`;
    const received = timelineEvent(bob.client, roomId, (e) => e.isEncrypted() && e.getSender() === alice.userId,
      'bob to receive alice\'s first encrypted event');
    const sent = await needs('send in an encrypted room', () => alice.client.sendTextMessage(roomId, text));
    const event = await received;
    assert.equal(event.getId(), sent.event_id);
    assert.equal(await decryptedBody(bob.client, event, 'bob to decrypt alice\'s first message'), text);
    early = { id: sent.event_id, text, sessionId: sessionIdOf(event) };

    // cross-signing first (its private keys go to secret storage too), then secret storage with a
    // new key backup: the backup key is stored encrypted in m.megolm_backup.v1 account data
    const crypto = bob.client.getCrypto();
    await needs('POST /keys/device_signing/upload', () => crypto.bootstrapCrossSigning({
      setupNewCrossSigning: true,
      authUploadDeviceSigningKeys: async (makeRequest) => {
        await makeRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: bob.userId }, password: PASSWORD });
      },
    }));
    await needs('secret storage (global account data) and POST /room_keys/version', () => crypto.bootstrapSecretStorage({
      setupNewSecretStorage: true,
      setupNewKeyBackup: true,
      createSecretStorageKey: () => crypto.createRecoveryKeyFromPassphrase(),
    }));
    assert.ok(secretKey.key, 'bootstrapSecretStorage made a secret storage key');
    assert.equal(await crypto.isSecretStorageReady(), true, 'secret storage holds the cross-signing and backup keys');

    backupVersion = await eventually(() => crypto.getActiveSessionBackupVersion(), 'bob\'s backup to be active');
    const info = await needs('GET /room_keys/version', () => bob.client.http.authedRequest('GET', '/room_keys/version'));
    assert.equal(info.version, backupVersion);
    assert.equal(info.algorithm, 'm.megolm_backup.v1.curve25519-aes-sha2');
    assert.ok(info.auth_data?.public_key, 'the backup names its public key');
    assert.ok(info.auth_data.signatures?.[bob.userId], 'bob\'s devices signed the backup');
    const trust = await crypto.isKeyBackupTrusted(info);
    assert.equal(trust.trusted, true);
    assert.equal(trust.matchesDecryptionKey, true);

    // the Rust crypto uploads the room keys it holds in the background, after a random delay of up
    // to 10 s (so that devices do not all upload at once): the wait allows for it
    const session = await eventually(async () => {
      const keys = await needs('GET /room_keys/keys', () => bob.client.http.authedRequest(
        'GET', `/room_keys/keys/${encodeURIComponent(roomId)}`, { version: backupVersion }));
      return keys.sessions?.[early.sessionId];
    }, 'the room key of alice\'s first message in bob\'s backup', WAIT_MS + 10000);
    assert.equal(session.first_message_index, 0);
    assert.ok(session.session_data?.ciphertext, 'the backed-up key is encrypted');
    const counted = await bob.client.http.authedRequest('GET', `/room_keys/version/${backupVersion}`);
    assert.ok(counted.count >= 1, `the backup counts its keys (${counted.count})`);
  });

  it('bob\'s second device, logged in later, decrypts alice\'s next message', async () => {
    await setup();
    requires(early, 'the first message decrypted by bob\'s first device');
    bob2 = (await needs('login', () => login(bob.username, PASSWORD, 'bob second device',
      { cryptoCallbacks: secretStorageCallbacks(secretKey) }))).client;
    const bob2Device = bob2.getDeviceId();
    assert.notEqual(bob2Device, bob.client.getDeviceId());
    await bob2.initRustCrypto({ useIndexedDB: false });
    await startSyncing(bob2);
    await roomSeen(bob2, roomId);
    secondDeviceReady = true;

    // the new device's keys reach the server, and alice's client hears of it through the
    // device_lists.changed of her /sync (no forced download here)
    await eventually(async () => {
      const result = await needs('POST /keys/query', () => alice.client.downloadKeysForUsers([bob.userId]));
      return result.device_keys?.[bob.userId]?.[bob2Device];
    }, 'bob\'s second device keys on the server');
    await eventually(async () => {
      const devices = await alice.client.getCrypto().getUserDeviceInfo([bob.userId]);
      return devices.get(bob.userId)?.has(bob2Device);
    }, 'alice\'s crypto to learn of bob\'s second device through the device lists in /sync');

    const text = `after the second device ${Date.now()}`;
    // the only encrypted event either device has seen so far is the first message
    const second = (e) => e.isEncrypted() && e.getSender() === alice.userId && e.getId() !== early.id;
    const onFirst = timelineEvent(bob.client, roomId, second, 'bob\'s first device to receive alice\'s second message');
    const onSecond = timelineEvent(bob2, roomId, second, 'bob\'s second device to receive alice\'s second message');
    const sent = await needs('send in an encrypted room', () => alice.client.sendTextMessage(roomId, text));
    const event = await onSecond;
    assert.equal(event.getId(), sent.event_id);
    assert.equal(event.getWireType(), 'm.room.encrypted');
    assert.equal(await decryptedBody(bob2, event, 'bob\'s second device to decrypt alice\'s second message'), text);
    assert.equal(await decryptedBody(bob.client, await onFirst, 'bob\'s first device to decrypt it too'), text);
  });

  it('bob\'s second device restores the earlier room key from the backup', async () => {
    await setup();
    requires(backupVersion, 'bob\'s key backup');
    requires(secondDeviceReady, 'bob\'s second device syncing');
    const crypto = bob2.getCrypto();
    // the first message is in the second device's timeline, but its room key was never sent to it
    const event = await timelineEvent(bob2, roomId, (e) => e.getId() === early.id,
      'alice\'s first message in the second device\'s timeline');
    assert.equal(event.getWireType(), 'm.room.encrypted');
    assert.equal(sessionIdOf(event), early.sessionId);
    await eventually(() => !event.isBeingDecrypted(), 'the first decryption attempt to end');
    assert.equal(event.isDecryptionFailure(), true, 'without the backup the second device lacks the key');

    // the backup decryption key comes out of secret storage with the secret storage key
    await needs('secret storage (global account data) and GET /room_keys/version',
      () => crypto.loadSessionBackupPrivateKeyFromSecretStorage());
    const loaded = await crypto.getSessionBackupPrivateKey();
    assert.deepEqual(Buffer.from(loaded), Buffer.from(await bob.client.getCrypto().getSessionBackupPrivateKey()));
    const info = await crypto.getKeyBackupInfo();
    assert.equal(info?.version, backupVersion);
    assert.equal((await crypto.isKeyBackupTrusted(info)).matchesDecryptionKey, true);

    const result = await needs('GET /room_keys/keys', () => crypto.restoreKeyBackup());
    assert.ok(result.total >= 1, `the backup holds the room key (total ${result.total})`);
    assert.equal(await decryptedBody(bob2, event, 'bob\'s second device to decrypt the first message from the backup'),
      early.text);
  });
});
