package dev.myelin.server.handler.threepid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.ThirdPartyInviteVerifier;
import dev.myelin.core.event.content.ThirdPartyInviteContent;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.event.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of a third-party invite: once the address is bound, the identity server tells
 * the bound user's server ({@code /3pid/onbind}), which turns each pending invite into an {@code
 * m.room.member} invite with the identity server's signed block. The inviter's server makes that
 * event ({@code exchange_third_party_invite}): it checks the signature against the keys of the
 * room's {@code m.room.third_party_invite} and that the signing key is still valid at its {@code
 * key_validity_url}, then invites as the original inviter.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#third-party-invites">Third-party invites</a>
 */
public final class ThirdPartyBinds {
    private static final Logger LOG = LoggerFactory.getLogger(ThirdPartyBinds.class);

    private final ServerName serverName;
    private final RoomStateReader state;
    private final MembershipHandler membership;
    private final IdentityServerClient identityServers;
    private final FederationClient federation;

    public ThirdPartyBinds(
            ServerName serverName,
            RoomStateReader state,
            MembershipHandler membership,
            IdentityServerClient identityServers,
            FederationClient federation) {
        this.serverName = serverName;
        this.state = state;
        this.membership = membership;
        this.identityServers = identityServers;
        this.federation = federation;
    }

    /**
     * The identity server's notice that an address was bound: each of its {@code invites} becomes an
     * invite, made here when the inviter is a user of this server, else by the inviter's server.
     * Every invite is tried; when one could not be made the identity server gets the first failure
     * (as Synapse answers), a 403 {@code M_FORBIDDEN} for a signature that does not check out.
     */
    public void onBind(JsonNode body) {
        JsonNode invites = body.path("invites");
        if (!invites.isArray()) {
            return;
        }
        MatrixException failure = null;
        for (JsonNode invite : invites) {
            try {
                ObjectNode event = memberEvent(invite, body);
                UserId inviter = UserId.parse(event.path("sender").asText());
                if (inviter.server().equals(serverName)) {
                    exchange(event);
                } else {
                    federation.send(
                            inviter.server(),
                            EndpointCall.of(
                                    FederationEndpoints.EXCHANGE_THIRD_PARTY_INVITE,
                                    event,
                                    event.path("room_id").asText()));
                }
            } catch (MatrixException e) {
                LOG.info("a third-party invite of the bound address could not be made: {}", e.toString());
                failure = failure == null ? e : failure;
            } catch (RuntimeException e) {
                LOG.info("a third-party invite of the bound address could not be made: {}", e.toString());
                failure = failure == null
                        ? MatrixException.forbidden("The third-party invite could not be made: " + e.getMessage())
                        : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The invite an onbind entry asks for, as {@code exchange_third_party_invite} carries it. */
    private static ObjectNode memberEvent(JsonNode invite, JsonNode body) {
        String mxid = invite.path("mxid").asText(body.path("mxid").asText(""));
        JsonNode signed = invite.path("signed");
        if (!signed.isObject()) {
            throw MatrixException.missingParam("signed");
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", "m.room.member")
                .put("room_id", invite.path("room_id").asText(""))
                .put("sender", invite.path("sender").asText(""))
                .put("state_key", mxid);
        ObjectNode content = event.putObject("content").put("membership", "invite");
        content.putObject("third_party_invite").set("signed", signed.deepCopy());
        return event;
    }

    /**
     * Makes the invite that {@code event} describes ({@code exchange_third_party_invite}): the
     * sender must be a user of this server and the room one it is in; 403 {@code M_FORBIDDEN}
     * when no key of the room's {@code m.room.third_party_invite} both verifies the signed block
     * and is still valid.
     */
    public StoredEvent exchange(JsonNode event) {
        RoomId room;
        UserId sender;
        UserId target;
        try {
            room = RoomId.parse(event.path("room_id").asText(""));
            sender = UserId.parse(event.path("sender").asText(""));
            target = UserId.parse(event.path("state_key").asText(""));
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("event", e.getMessage());
        }
        if (!sender.server().equals(serverName)) {
            throw MatrixException.forbidden("The inviter is not a user of this server");
        }
        JsonNode signed = event.path("content").path("third_party_invite").path("signed");
        if (!(signed instanceof ObjectNode signedBlock)) {
            throw MatrixException.missingParam("content.third_party_invite.signed");
        }
        String token = signedBlock.path("token").asText("");
        if (!signedBlock.path("mxid").asText("").equals(target.toString())) {
            throw MatrixException.forbidden("The signed block names another user");
        }
        state.requireRoom(room);
        ObjectNode inviteContent = state.currentEvent(room, "m.room.third_party_invite", token)
                .map(e -> e.pdu().content())
                .orElseThrow(() -> MatrixException.forbidden("There is no third-party invite with that token"));
        ThirdPartyInviteContent keys = ThirdPartyInviteContent.from(inviteContent);
        if (!signedWithValidKey(signedBlock, keys)) {
            throw new MatrixException(403, ErrorCode.FORBIDDEN, "The third-party invite's signature is not valid");
        }
        ObjectNode thirdParty = JsonNodeFactory.instance.objectNode();
        thirdParty.put("display_name", keys.displayName().orElse(""));
        thirdParty.set("signed", signedBlock.deepCopy());
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        extra.set("third_party_invite", thirdParty);
        return membership.invite(sender, room, target, Optional.empty(), extra);
    }

    /** Whether a key of the invite verifies the signed block and its identity server still says it is valid. */
    private boolean signedWithValidKey(ObjectNode signed, ThirdPartyInviteContent keys) {
        List<ThirdPartyInviteContent.PublicKey> candidates = new ArrayList<>(keys.publicKeys());
        keys.publicKey()
                .ifPresent(k -> candidates.add(new ThirdPartyInviteContent.PublicKey(k, keys.keyValidityUrl())));
        for (ThirdPartyInviteContent.PublicKey key : candidates) {
            if (ThirdPartyInviteVerifier.ED25519.anySignatureValid(signed, List.of(key.publicKey()))
                    && key.keyValidityUrl()
                            .map(url -> identityServers.keyIsValid(url, key.publicKey()))
                            .orElse(false)) {
                return true;
            }
        }
        return false;
    }
}
