// Rooms through matrix-js-sdk's sync loop: create (name, topic), invite, join, messages both
// ways, renaming the room, changing its topic and a user's display name.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  registerUser, once, needs, stopAll, startSyncing, roomSeen, timelineEvent, waitForEvent, eventually, requires,
} from '../lib/harness.mjs';

describe('rooms and messages', () => {
  let alice;
  let bob;
  let roomId;
  let joined = false;
  let synced = false;

  const users = once(async () => {
    alice = await registerUser('alice');
    bob = await registerUser('bob');
  });

  after(() => stopAll(alice?.client, bob?.client));

  it('creates a room with a name and topic, invites bob and bob joins', async () => {
    await users();
    const created = await needs('POST /createRoom', () => alice.client.createRoom({
      name: 'Interop room', topic: 'Where SDKs meet', preset: 'private_chat', visibility: 'private',
    }));
    roomId = created.room_id;
    assert.match(roomId, /^!.+:.+$/);
    await needs('POST /rooms/{roomId}/invite', () => alice.client.invite(roomId, bob.userId));
    const joinedRoom = await needs('POST /join/{roomIdOrAlias}', () => bob.client.joinRoom(roomId));
    assert.equal(joinedRoom.roomId, roomId);
    const members = await needs('GET /rooms/{roomId}/joined_members', () => alice.client.getJoinedRoomMembers(roomId));
    assert.deepEqual(Object.keys(members.joined).sort(), [alice.userId, bob.userId].sort());
    joined = true;
  });

  it('both clients sync the room with its name, topic and members', async () => {
    await users();
    requires(joined, 'the room from the first test, with both users joined');
    await startSyncing(alice.client);
    await startSyncing(bob.client);
    synced = true;
    for (const user of [alice, bob]) {
      const room = await roomSeen(user.client, roomId);
      assert.equal(room.name, 'Interop room', `${user.userId} sees the room name`);
      const topic = room.currentState.getStateEvents('m.room.topic', '')?.getContent().topic;
      assert.equal(topic, 'Where SDKs meet', `${user.userId} sees the topic`);
      await eventually(() => room.getMember(alice.userId)?.membership === 'join'
        && room.getMember(bob.userId)?.membership === 'join', `${user.userId} to see both members joined`);
    }
  });

  it('exchanges messages both ways through sync', async () => {
    await users();
    requires(synced, 'both clients syncing');
    const fromAlice = timelineEvent(bob.client, roomId,
      (e) => e.getType() === 'm.room.message' && e.getSender() === alice.userId && e.getContent().body === 'hello bob',
      'bob to see alice\'s "hello bob"');
    const sent = await needs('PUT /rooms/{roomId}/send', () => alice.client.sendTextMessage(roomId, 'hello bob'));
    assert.match(sent.event_id, /^\$/);
    const seenByBob = await fromAlice;
    assert.equal(seenByBob.getId(), sent.event_id);
    assert.equal(seenByBob.getContent().msgtype, 'm.text');

    const fromBob = timelineEvent(alice.client, roomId,
      (e) => e.getType() === 'm.room.message' && e.getSender() === bob.userId && e.getContent().body === 'hi alice',
      'alice to see bob\'s "hi alice"');
    const reply = await bob.client.sendMessage(roomId, { msgtype: 'm.notice', body: 'hi alice', 'dev.myelin.extra': 42 });
    const seenByAlice = await fromBob;
    assert.equal(seenByAlice.getId(), reply.event_id);
    assert.equal(seenByAlice.getContent().msgtype, 'm.notice');
    assert.equal(seenByAlice.getContent()['dev.myelin.extra'], 42);

    // The server's copy of the event matches what was sent.
    const fetched = await needs('GET /rooms/{roomId}/event/{eventId}', () => bob.client.fetchRoomEvent(roomId, sent.event_id));
    assert.equal(fetched.content.body, 'hello bob');
    assert.equal(fetched.sender, alice.userId);
  });

  it('renames the room and changes its topic; the other member sees both through sync', async () => {
    await users();
    requires(synced, 'both clients syncing');
    const room = bob.client.getRoom(roomId);
    const renamed = waitForEvent(bob.client, 'Room.name', (r) => r.roomId === roomId && r.name === 'Renamed room',
      'bob to see the room renamed');
    const newTopic = waitForEvent(bob.client, 'RoomState.events',
      (e) => e.getRoomId() === roomId && e.getType() === 'm.room.topic' && e.getContent().topic === 'A new topic',
      'bob to see the new topic');
    await needs('PUT /rooms/{roomId}/state/m.room.name', () => alice.client.setRoomName(roomId, 'Renamed room'));
    await needs('PUT /rooms/{roomId}/state/m.room.topic', () => alice.client.setRoomTopic(roomId, 'A new topic'));
    await renamed;
    await newTopic;
    assert.equal(room.name, 'Renamed room');
    assert.equal(room.currentState.getStateEvents('m.room.topic', '').getContent().topic, 'A new topic');
    const state = await needs('GET /rooms/{roomId}/state/m.room.name', () => bob.client.getStateEvent(roomId, 'm.room.name', ''));
    assert.equal(state.name, 'Renamed room');
  });

  it('sets a display name: the profile answers it and the other member sees it through sync', async () => {
    await users();
    requires(synced, 'both clients syncing');
    const seen = waitForEvent(bob.client, 'RoomMember.name',
      (_e, member) => member.roomId === roomId && member.userId === alice.userId && member.name === 'Alice Interop',
      'bob to see alice\'s new display name in the room');
    await needs('PUT /profile/{userId}/displayname', () => alice.client.setDisplayName('Alice Interop'));
    const profile = await needs('GET /profile/{userId}', () => bob.client.getProfileInfo(alice.userId));
    assert.equal(profile.displayname, 'Alice Interop');
    await seen;
    assert.equal(bob.client.getRoom(roomId).getMember(alice.userId).rawDisplayName, 'Alice Interop');
  });

  it('a room bob left and forgot is not in the leave section of an include_leave sync', async () => {
    await users();
    const created = await needs('POST /createRoom', () => alice.client.createRoom({ preset: 'public_chat' }));
    const gone = created.room_id;
    await needs('POST /join/{roomIdOrAlias}', () => bob.client.joinRoom(gone));
    await needs('POST /rooms/{roomId}/leave', () => bob.client.leave(gone));
    const leaveSection = async () => {
      const body = await bob.client.http.authedRequest('GET', '/sync',
        { filter: JSON.stringify({ room: { include_leave: true } }), timeout: '0' });
      return Object.keys(body.rooms?.leave ?? {});
    };
    assert.ok((await leaveSection()).includes(gone), 'the room bob left is in the leave section');
    await needs('POST /rooms/{roomId}/forget', () => bob.client.forget(gone));
    assert.ok(!(await leaveSection()).includes(gone), 'the forgotten room is not in the leave section');
  });
});
