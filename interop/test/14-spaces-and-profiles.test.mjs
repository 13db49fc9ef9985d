// What matrix-js-sdk asks about rooms and users beyond sync: a space's hierarchy, a room's summary,
// custom profile fields (spec v1.16), and a login token for a new device.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  registerUser, once, needs, anonymousClient, clientFor, SERVER_NAME, localpart,
} from '../lib/harness.mjs';

describe('spaces, room summaries, profiles and login tokens', () => {
  let alice;
  let bob;
  let spaceId;
  const children = [];
  const ready = once(async () => {
    alice = await registerUser('alice');
    bob = await registerUser('bob');
    ({ room_id: spaceId } = await alice.client.createRoom({
      name: 'Interop space', preset: 'public_chat', creation_content: { type: 'm.space' },
      room_alias_name: localpart('space'),
    }));
    for (const name of ['General', 'Random']) {
      const { room_id: child } = await alice.client.createRoom({ name, preset: 'public_chat' });
      await alice.client.sendStateEvent(spaceId, 'm.space.child', { via: [SERVER_NAME], suggested: name === 'General' }, child);
      children.push(child);
    }
  });

  it('getRoomHierarchy walks the space', async () => {
    await ready();
    const answer = await needs('GET /rooms/{roomId}/hierarchy', () => bob.client.getRoomHierarchy(spaceId));
    const ids = answer.rooms.map((r) => r.room_id);
    assert.equal(ids[0], spaceId);
    assert.deepEqual(new Set(ids.slice(1)), new Set(children));
    const space = answer.rooms[0];
    assert.equal(space.room_type, 'm.space');
    assert.equal(space.name, 'Interop space');
    assert.equal(space.children_state.length, 2);
    const suggested = await bob.client.getRoomHierarchy(spaceId, 10, 1, true);
    assert.deepEqual(suggested.rooms.map((r) => r.room_id), [spaceId, children[0]]);
  });

  it('getRoomSummary summarises a room bob is not in', async () => {
    await ready();
    const summary = await needs('GET /room_summary', () => bob.client.getRoomSummary(spaceId));
    assert.equal(summary.room_id, spaceId);
    assert.equal(summary.name, 'Interop space');
    assert.equal(summary.room_type, 'm.space');
    assert.equal(summary.join_rule, 'public');
    assert.equal(summary.num_joined_members, 1);
    // an authenticated user with no membership is told "leave", as Synapse tells it
    assert.equal(summary.membership, 'leave');
  });

  it('custom profile fields round-trip through the extended profile API', async () => {
    await ready();
    assert.equal(await alice.client.doesServerSupportExtendedProfiles(), true);
    await needs('PUT /profile/{userId}/{keyName}', () => alice.client.setExtendedProfileProperty('m.tz', 'Europe/Paris'));
    await alice.client.setExtendedProfileProperty('org.example.pronouns', [{ summary: 'she/her' }]);
    assert.equal(await bob.client.getExtendedProfileProperty(alice.userId, 'm.tz'), 'Europe/Paris');
    const profile = await bob.client.getExtendedProfile(alice.userId);
    assert.deepEqual(profile['org.example.pronouns'], [{ summary: 'she/her' }]);
    await alice.client.deleteExtendedProfileProperty('m.tz');
    // the SDK caches what it read, so ask the server itself
    assert.equal((await bob.client.getExtendedProfile(alice.userId))['m.tz'], undefined);
    await assert.rejects(
      bob.client.http.authedRequest('GET', `/profile/${encodeURIComponent(alice.userId)}/m.tz`),
      (e) => e.httpStatus === 404 && e.errcode === 'M_NOT_FOUND');
  });

  it('a login token from requestLoginToken logs in a new device', async () => {
    await ready();
    let session;
    try {
      await alice.client.requestLoginToken();
      assert.fail('a login token without the password');
    } catch (e) {
      assert.equal(e.httpStatus, 401);
      session = e.data.session;
    }
    const { login_token: token, expires_in_ms: expires } = await alice.client.requestLoginToken({
      type: 'm.login.password', session, password: 'interop-Password-1', identifier: { type: 'm.id.user', user: alice.userId },
    });
    assert.equal(expires, 120000);
    const flows = await anonymousClient().loginFlows();
    assert.ok(flows.flows.some((f) => f.type === 'm.login.token' && f.get_login_token === true));
    const credentials = await anonymousClient().loginRequest({ type: 'm.login.token', token });
    assert.equal(credentials.user_id, alice.userId);
    assert.notEqual(credentials.device_id, alice.credentials.device_id);
    const { user_id: me } = await clientFor(credentials).whoami();
    assert.equal(me, alice.userId);
    await assert.rejects(anonymousClient().loginRequest({ type: 'm.login.token', token }), (e) => e.httpStatus === 403);
  });
});
