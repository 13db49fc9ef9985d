// Ephemeral events through matrix-js-sdk's sync: typing notifications and read receipts.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  registerUser, once, needs, stopAll, startSyncing, roomSeen, timelineEvent, waitForEvent, sharedRoom,
} from '../lib/harness.mjs';

describe('typing and receipts', () => {
  let alice;
  let bob;
  let roomId;
  const ready = once(async () => {
    alice = await registerUser('alice');
    bob = await registerUser('bob');
    roomId = await sharedRoom(alice, bob, { name: 'Ephemeral' });
    await startSyncing(alice.client);
    await startSyncing(bob.client);
    await roomSeen(alice.client, roomId);
    await roomSeen(bob.client, roomId);
  });

  after(() => stopAll(alice?.client, bob?.client));

  it('typing: bob sees alice start and stop typing', async () => {
    await ready();
    const started = waitForEvent(bob.client, 'RoomMember.typing',
      (_e, member) => member.roomId === roomId && member.userId === alice.userId && member.typing === true,
      'bob to see alice typing');
    await needs('PUT /rooms/{roomId}/typing/{userId}', () => alice.client.sendTyping(roomId, true, 20000));
    await started;
    const stopped = waitForEvent(bob.client, 'RoomMember.typing',
      (_e, member) => member.roomId === roomId && member.userId === alice.userId && member.typing === false,
      'bob to see alice stop typing');
    await alice.client.sendTyping(roomId, false, 0);
    await stopped;
  });

  it('read receipts: alice sees bob\'s receipt for her message', async () => {
    await ready();
    const arrived = timelineEvent(bob.client, roomId,
      (e) => e.getSender() === alice.userId && e.getContent().body === 'please read me', 'bob to receive the message');
    const { event_id: eventId } = await needs('PUT /rooms/{roomId}/send', () => alice.client.sendTextMessage(roomId, 'please read me'));
    const event = await arrived;
    const receipt = waitForEvent(alice.client, 'Room.receipt',
      (e, room) => room.roomId === roomId && e.getContent()[eventId]?.['m.read']?.[bob.userId],
      'alice to see bob\'s read receipt');
    await needs('POST /rooms/{roomId}/receipt/m.read/{eventId}', () => bob.client.sendReadReceipt(event));
    const [receiptEvent] = await receipt;
    assert.equal(typeof receiptEvent.getContent()[eventId]['m.read'][bob.userId].ts, 'number');
    assert.equal(alice.client.getRoom(roomId).getEventReadUpTo(bob.userId), eventId);
  });
});
