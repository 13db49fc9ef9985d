package dev.myelin.core.auth;

import static dev.myelin.core.auth.AuthAssertions.assertAllowed;
import static dev.myelin.core.auth.AuthAssertions.assertRejected;
import static dev.myelin.core.auth.TestRoom.ALICE;
import static dev.myelin.core.auth.TestRoom.BOB;
import static dev.myelin.core.auth.TestRoom.CAROL;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The third-party branch of the {@code m.room.member} invite rule, with real Ed25519 signatures. */
class ThirdPartyInviteTest {
    private static final String TOKEN = "abc123";
    private final KeyPair identityServer = keyPair();
    private final KeyPair otherKey = keyPair();

    private static KeyPair keyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String publicKey(KeyPair pair) {
        byte[] encoded = pair.getPublic().getEncoded();
        return Base64.getEncoder()
                .withoutPadding()
                .encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    /** A signed block for {@code mxid}, signed by {@code signer} over its canonical JSON. */
    private static String signedBlock(String mxid, String token, KeyPair signer) {
        String canonical = "{\"mxid\":\"" + mxid + "\",\"token\":\"" + token + "\"}";
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(signer.getPrivate());
            signature.update(canonical.getBytes(StandardCharsets.UTF_8));
            String sig = Base64.getEncoder().withoutPadding().encodeToString(signature.sign());
            return "{mxid: '" + mxid + "', token: '" + token + "', signatures: {'id.test': {'ed25519:0': '" + sig
                    + "'}}}";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestRoom roomWithPendingInvite(RoomVersion version, String inviteContent) {
        TestRoom room = TestRoom.created(version, "invite");
        room.send(room.event("m.room.third_party_invite", TOKEN, ALICE, inviteContent));
        return room;
    }

    private TestRoom roomWithPendingInvite(RoomVersion version) {
        return roomWithPendingInvite(
                version,
                "{display_name: 'b...@example.org', public_key: '" + publicKey(identityServer)
                        + "', key_validity_url: 'https://id.test/isvalid'}");
    }

    private static String invite(String signed) {
        return "{membership: 'invite', third_party_invite: {display_name: 'bob', signed: " + signed + "}}";
    }

    @Nested
    class Allows {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsInviteSignedByTheKeyOfTheMatchingThirdPartyInvite(RoomVersion version) {
            TestRoom room = roomWithPendingInvite(version);
            assertAllowed(room.check(
                    room.event("m.room.member", BOB, ALICE, invite(signedBlock(BOB, TOKEN, identityServer)))));
        }

        @Test
        void allowsInviteSignedByAKeyFromPublicKeys() {
            TestRoom room = roomWithPendingInvite(
                    RoomVersions.V10,
                    "{public_key: '" + publicKey(otherKey) + "', public_keys: [{public_key: '"
                            + publicKey(identityServer) + "'}]}");
            assertAllowed(room.check(
                    room.event("m.room.member", BOB, ALICE, invite(signedBlock(BOB, TOKEN, identityServer)))));
        }

        @Test
        void allowsInviteEvenWhenTheSenderIsBelowTheInviteLevel() {
            // the third-party branch ends in allow or reject without consulting the invite level
            TestRoom room = roomWithPendingInvite(RoomVersions.V10);
            room.powerLevels("{invite: 100, users: {'" + ALICE + "': 50}}");
            assertAllowed(room.check(
                    room.event("m.room.member", BOB, ALICE, invite(signedBlock(BOB, TOKEN, identityServer)))));
        }
    }

    @Nested
    class Rejects {
        @Test
        void rejectsThirdPartyInviteOfBannedTarget() {
            TestRoom room = roomWithPendingInvite(RoomVersions.V10).member(BOB, "ban");
            assertRejected(
                    room.check(
                            room.event("m.room.member", BOB, ALICE, invite(signedBlock(BOB, TOKEN, identityServer)))),
                    "the target is banned");
        }

        @Test
        void rejectsThirdPartyInviteWithoutSignedBlock() {
            TestRoom room = roomWithPendingInvite(RoomVersions.V10);
            assertRejected(
                    room.check(room.event(
                            "m.room.member",
                            BOB,
                            ALICE,
                            "{membership: 'invite', third_party_invite: {display_name: 'bob'}}")),
                    "no signed block");
        }

        @Test
        void rejectsSignedBlockWithoutToken() {
            TestRoom room = roomWithPendingInvite(RoomVersions.V1);
            assertRejected(
                    room.check(
                            room.event("m.room.member", BOB, ALICE, invite("{mxid: '" + BOB + "', signatures: {}}"))),
                    "lacks mxid or token");
        }

        @Test
        void rejectsSignedBlockForAnotherUser() {
            TestRoom room = roomWithPendingInvite(RoomVersions.V10);
            assertRejected(
                    room.check(
                            room.event("m.room.member", BOB, ALICE, invite(signedBlock(CAROL, TOKEN, identityServer)))),
                    "signed.mxid is not the state key");
        }

        @Test
        void rejectsTokenWithoutThirdPartyInviteEvent() {
            TestRoom room = roomWithPendingInvite(RoomVersions.V10);
            assertRejected(
                    room.check(
                            room.event("m.room.member", BOB, ALICE, invite(signedBlock(BOB, "other", identityServer)))),
                    "no m.room.third_party_invite for the token");
        }

        @Test
        void rejectsSenderWhoDidNotSendTheThirdPartyInvite() {
            TestRoom room = roomWithPendingInvite(RoomVersions.V12).member(CAROL, "join");
            assertRejected(
                    room.check(
                            room.event("m.room.member", BOB, CAROL, invite(signedBlock(BOB, TOKEN, identityServer)))),
                    "did not send the m.room.third_party_invite");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsSignatureByAnUnlistedKey(RoomVersion version) {
            TestRoom room = roomWithPendingInvite(version);
            assertRejected(
                    room.check(room.event("m.room.member", BOB, ALICE, invite(signedBlock(BOB, TOKEN, otherKey)))),
                    "no signature in the signed block matches");
        }

        @Test
        void rejectsSignedBlockAlteredAfterSigning() {
            TestRoom room = roomWithPendingInvite(RoomVersions.V10);
            ObjectNode signed = TestRoom.json(signedBlock(BOB, TOKEN, identityServer));
            signed.put("extra", "added later");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, ALICE, invite(signed.toString()))), "no signature");
        }
    }
}
