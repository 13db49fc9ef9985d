// Account data through matrix-js-sdk: global and per-room, read back from the server and seen
// through sync; private to its owner.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  registerUser, once, needs, within, WAIT_MS, stopAll, startSyncing, roomSeen, waitForEvent, sharedRoom,
} from '../lib/harness.mjs';

describe('account data', () => {
  let alice;
  let bob;
  const global = { nonce: randomBytes(8).toString('hex'), nested: { list: [1, 2, 3] } };

  const users = once(async () => {
    alice = await registerUser('alice');
    bob = await registerUser('bob');
  });

  after(() => stopAll(alice?.client, bob?.client));

  it('global account data is stored and read back, and private to its owner', async () => {
    await users();
    await needs('PUT /user/{userId}/account_data/{type}', () => alice.client.setAccountData('dev.myelin.interop', global));
    const fromServer = await needs('GET /user/{userId}/account_data/{type}',
      () => alice.client.getAccountDataFromServer('dev.myelin.interop'));
    assert.deepEqual(fromServer, global);
    await assert.rejects(
      bob.client.http.authedRequest('GET', `/user/${encodeURIComponent(alice.userId)}/account_data/dev.myelin.interop`),
      (err) => {
        assert.equal(err.httpStatus, 403, `bob reading alice's account data: ${err.httpStatus} ${err.errcode}`);
        return true;
      });
  });

  it('global account data arrives in the initial sync and its changes in later syncs', async () => {
    await users();
    await startSyncing(alice.client);
    assert.deepEqual(alice.client.getAccountData('dev.myelin.interop')?.getContent(), global,
      'the initial sync carries the stored account data');
    const changed = { nonce: randomBytes(8).toString('hex') };
    const seen = waitForEvent(alice.client, 'accountData',
      (e) => e.getType() === 'dev.myelin.interop' && e.getContent().nonce === changed.nonce,
      'alice\'s sync to carry the changed account data');
    // While syncing, setAccountData resolves only once sync echoes the change.
    await within(WAIT_MS, alice.client.setAccountData('dev.myelin.interop', changed), 'setAccountData to see its echo in sync');
    await seen;
    assert.deepEqual(alice.client.getAccountData('dev.myelin.interop').getContent(), changed);
  });

  it('room account data is stored, read back and seen through sync', async () => {
    await users();
    const roomId = await sharedRoom(alice, bob, { name: 'Account data' });
    if (!alice.client.clientRunning) await startSyncing(alice.client);
    await roomSeen(alice.client, roomId);
    const content = { tag: randomBytes(4).toString('hex') };
    const seen = waitForEvent(alice.client, 'Room.accountData',
      (e, room) => room.roomId === roomId && e.getType() === 'dev.myelin.room' && e.getContent().tag === content.tag,
      'alice\'s sync to carry the room account data');
    await needs('PUT /user/{userId}/rooms/{roomId}/account_data/{type}',
      () => alice.client.setRoomAccountData(roomId, 'dev.myelin.room', content));
    const fromServer = await needs('GET /user/{userId}/rooms/{roomId}/account_data/{type}',
      () => alice.client.http.authedRequest('GET', `/user/${encodeURIComponent(alice.userId)}/rooms/${
        encodeURIComponent(roomId)}/account_data/dev.myelin.room`));
    assert.deepEqual(fromServer, content);
    await seen;
    assert.deepEqual(alice.client.getRoom(roomId).getAccountData('dev.myelin.room').getContent(), content);
  });
});
