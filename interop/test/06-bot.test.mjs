// A matrix-bot-sdk bot (MatrixClient + MemoryStorageProvider + AutojoinRoomsMixin) joins a
// room it is invited to and answers "echo: <text>"; a matrix-js-sdk client sees it do so.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import botSdk from 'matrix-bot-sdk';
import {
  BASE_URL, registerUser, once, needs, stopAll, startSyncing, roomSeen, timelineEvent, waitForEvent, requires,
} from '../lib/harness.mjs';

const { MatrixClient, MemoryStorageProvider, AutojoinRoomsMixin, LogService, LogLevel } = botSdk;
LogService.setLevel(process.env.INTEROP_DEBUG ? LogLevel.DEBUG : LogLevel.ERROR);
if (!process.env.INTEROP_DEBUG) LogService.setLogger({ info() {}, warn() {}, error() {}, debug() {}, trace() {} });

describe('matrix-bot-sdk echo bot', () => {
  let alice;
  let botUser;
  let bot;
  let botStarted = false;
  let roomId;
  let botJoined = false;
  const replies = [];

  const users = once(async () => {
    alice = await registerUser('alice');
    botUser = await registerUser('echobot');
  });

  after(() => {
    stopAll(alice?.client, botUser?.client);
    if (botStarted) bot.stop();
  });

  it('starts the bot: whoami and the first sync through matrix-bot-sdk', async () => {
    await users();
    bot = new MatrixClient(BASE_URL, botUser.credentials.access_token, new MemoryStorageProvider());
    AutojoinRoomsMixin.setupOnClient(bot);
    const self = await needs('whoami (matrix-bot-sdk)', () => bot.getUserId());
    assert.equal(self, botUser.userId);
    bot.on('room.message', async (room, event) => {
      if (event.sender === self || event.content?.msgtype !== 'm.text') return;
      // the attempt is recorded before its answer arrives: the other client may see the reply
      // through its sync before the bot's own request has returned
      replies.push(bot.sendText(room, `echo: ${event.content.body}`).catch((err) => err));
    });
    // The bot's sync loop retries failures quietly: probe the endpoint first so that a missing
    // /sync reads as such here.
    await needs('/sync (matrix-bot-sdk)', () => bot.doRequest('GET', '/_matrix/client/v3/sync', { timeout: 0 }));
    await needs('GET /joined_rooms (matrix-bot-sdk)', () => bot.getJoinedRooms());
    await needs('what matrix-bot-sdk\'s start() requests (m.direct account data, /joined_rooms, filter, /sync)',
      () => bot.start());
    botStarted = true;
  });

  it('auto-joins when invited; the js-sdk client sees the join', async () => {
    await users();
    requires(botStarted, 'the bot running');
    ({ room_id: roomId } = await needs('POST /createRoom', () => alice.client.createRoom({ name: 'Echo', preset: 'private_chat' })));
    await startSyncing(alice.client);
    const room = await roomSeen(alice.client, roomId);
    const joined = room.getMember(botUser.userId)?.membership === 'join' ? Promise.resolve()
      : waitForEvent(alice.client, 'RoomMember.membership',
        (_e, member) => member.roomId === roomId && member.userId === botUser.userId && member.membership === 'join',
        'the bot to auto-join after its invite');
    await needs('POST /rooms/{roomId}/invite', () => alice.client.invite(roomId, botUser.userId));
    await joined;
    const joinedRooms = await bot.getJoinedRooms();
    assert.ok(joinedRooms.includes(roomId), 'the bot lists the room as joined');
    botJoined = true;
  });

  it('replies "echo: <text>" to a message, seen through the js-sdk client\'s sync', async () => {
    await users();
    requires(botJoined, 'the bot in the room');
    for (const text of ['hello bot', 'second message']) {
      const echoed = timelineEvent(alice.client, roomId,
        (e) => e.getSender() === botUser.userId && e.getContent().body === `echo: ${text}`,
        `the bot's "echo: ${text}"`);
      await alice.client.sendTextMessage(roomId, text);
      const reply = await echoed;
      assert.equal(reply.getType(), 'm.room.message');
      assert.equal(reply.getContent().msgtype, 'm.text');
    }
    const failures = (await Promise.all(replies)).filter((r) => r instanceof Error);
    assert.deepEqual(failures, [], 'every reply was sent');
    assert.equal(replies.length, 2, 'one reply per message, none to its own');
  });
});
