package dev.myelin.server.api;

import dev.myelin.testing.TestClient;

/**
 * What the endpoint fuzz test's requests point at, so valid-looking ids reach deep code: two users
 * in one public room with an alias, a message in it, an uploaded media item and a stored filter.
 *
 * @param alice the room's creator, whose token most requests carry
 * @param bob a second member, for requests made with another user's token
 * @param room the room id
 * @param alias the room's alias
 * @param event a message event in the room
 * @param serverName the homeserver's name
 * @param mediaId the uploaded media item's id
 * @param filterId a filter stored for alice
 */
record FuzzFixture(
        TestClient alice,
        TestClient bob,
        String room,
        String alias,
        String event,
        String serverName,
        String mediaId,
        String filterId) {

    String mxc() {
        return "mxc://" + serverName + "/" + mediaId;
    }

    FuzzFixture withAlice(TestClient client) {
        return new FuzzFixture(client, bob, room, alias, event, serverName, mediaId, filterId);
    }

    FuzzFixture withBob(TestClient client) {
        return new FuzzFixture(alice, client, room, alias, event, serverName, mediaId, filterId);
    }
}
