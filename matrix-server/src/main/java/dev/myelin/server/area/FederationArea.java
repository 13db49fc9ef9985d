package dev.myelin.server.area;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.auth.RequestVerifier;
import dev.myelin.federation.auth.XMatrixServerAuthenticator;
import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.federation.keys.KeyFetcher;
import dev.myelin.federation.keys.ServerKeyPublisher;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.http.server.Router;
import dev.myelin.http.server.ServerAuthenticator;
import dev.myelin.server.api.federation.FederationVersionEndpoint;
import dev.myelin.server.api.federation.InviteEndpoint;
import dev.myelin.server.api.federation.InviteV1Endpoint;
import dev.myelin.server.api.federation.MakeJoinEndpoint;
import dev.myelin.server.api.federation.MakeKnockEndpoint;
import dev.myelin.server.api.federation.MakeLeaveEndpoint;
import dev.myelin.server.api.federation.QueryProfileEndpoint;
import dev.myelin.server.api.federation.SendJoinEndpoint;
import dev.myelin.server.api.federation.SendKnockEndpoint;
import dev.myelin.server.api.federation.SendLeaveEndpoint;
import dev.myelin.server.api.federation.SendMembershipV1Endpoint;
import dev.myelin.server.api.federation.SendTransactionEndpoint;
import dev.myelin.server.api.federation.keys.KeyQueryBatchEndpoint;
import dev.myelin.server.api.federation.keys.KeyQueryEndpoint;
import dev.myelin.server.config.FederationSettings;
import dev.myelin.server.config.ServerKeysConfig;
import dev.myelin.server.handler.federation.EduHandler;
import dev.myelin.server.handler.federation.EphemeralFanOut;
import dev.myelin.server.handler.federation.FetchedKeyLookup;
import dev.myelin.server.handler.federation.InboundInvites;
import dev.myelin.server.handler.federation.InboundPdus;
import dev.myelin.server.handler.federation.InboundPresence;
import dev.myelin.server.handler.federation.InboundReceipts;
import dev.myelin.server.handler.federation.InboundTransactions;
import dev.myelin.server.handler.federation.InboundTyping;
import dev.myelin.server.handler.federation.KeyNotary;
import dev.myelin.server.handler.federation.OutOfBandMemberships;
import dev.myelin.server.handler.federation.PresenceFanOut;
import dev.myelin.server.handler.federation.ReceivedEvents;
import dev.myelin.server.handler.federation.ResidentJoins;
import dev.myelin.server.handler.federation.RoomEventFanOut;
import dev.myelin.server.handler.federation.RoomServerAcls;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.server.handler.room.RestrictedJoinAuthoriser;
import dev.myelin.server.handler.todevice.ToDeviceHandler;
import dev.myelin.storage.federation.ReceivedTransactionStore;
import dev.myelin.storage.room.BlockedRoomStore;
import dev.myelin.storage.room.RemoteInviteStore;
import dev.myelin.storage.room.RemoteKnockStore;
import dev.myelin.storage.serverkeys.ServerKeyStore;
import java.util.HashMap;
import java.util.Map;

/**
 * The Server-Server API as far as it is built: fetching other servers' keys (and serving them as a
 * notary), checking X-Matrix signatures on federation requests, the version endpoint, profile
 * queries, the transport half of {@code /send}, joins, knocks and leaves of other servers' users
 * in rooms of this server, invites of local users received from other servers,
 * and the sending of local users' events to the other servers in their rooms ({@link RoomEventFanOut}). Its {@link #serverAuthenticator()} goes to the HTTP server, which calls it for every
 * endpoint that asks for a server's signature.
 */
public final class FederationArea {
    private final ServerAuthenticator serverAuthenticator;
    private final ServerKeyStore serverKeys;

    private FederationArea(ServerAuthenticator serverAuthenticator, ServerKeyStore serverKeys) {
        this.serverAuthenticator = serverAuthenticator;
        this.serverKeys = serverKeys;
    }

    public static FederationArea install(
            Router router,
            Core core,
            SigningKey signingKey,
            ServerKeyPublisher ownKeys,
            ServerKeysConfig keysConfig,
            FederationSettings settings,
            FederationOutbound outbound,
            ProfileHandler profiles,
            EduHandler toDevice,
            RoomCore rooms,
            ReceivedEvents received,
            EphemeralArea ephemeral,
            Map<String, EduHandler> keyEdus) {
        ServerKeyStore serverKeys = outbound.serverKeys();
        FederationDomainWhitelist whitelist = settings.domainWhitelist();
        KeyFetcher fetcher = outbound.keys();
        RoomServerAcls acls = new RoomServerAcls(rooms.state(), rooms.events());
        RoomEventFanOut fanOut =
                new RoomEventFanOut(core.serverName(), rooms.state(), rooms.events(), outbound.sender());
        ResidentJoins joins = new ResidentJoins(
                core.serverName(),
                signingKey,
                rooms.rooms(),
                rooms.events(),
                rooms.state(),
                rooms.creator(),
                received,
                acls,
                fanOut,
                new RestrictedJoinAuthoriser(rooms.roomState(), rooms.state(), core.serverName()));
        router.register(new MakeJoinEndpoint(joins));
        router.register(new SendJoinEndpoint(joins));
        router.register(new MakeLeaveEndpoint(joins));
        router.register(new MakeKnockEndpoint(joins));
        router.register(new SendKnockEndpoint(joins));
        router.register(new SendLeaveEndpoint(joins));
        router.register(SendMembershipV1Endpoint.join(joins));
        router.register(SendMembershipV1Endpoint.leave(joins));
        KeyNotary notary = new KeyNotary(core.serverName(), signingKey, ownKeys, serverKeys, fetcher);
        router.register(new KeyQueryEndpoint(notary, false));
        router.register(new KeyQueryEndpoint(notary, true));
        router.register(new KeyQueryBatchEndpoint(notary));
        router.register(new FederationVersionEndpoint());
        router.register(new QueryProfileEndpoint(core.serverName(), profiles));
        Map<String, EduHandler> edus = new HashMap<>(keyEdus);
        edus.put(ToDeviceHandler.EDU_TYPE, toDevice);
        edus.put(EphemeralFanOut.TYPING, new InboundTyping(ephemeral.typing(), acls));
        edus.put(EphemeralFanOut.RECEIPT, new InboundReceipts(ephemeral.receiptHandler(), acls));
        edus.put(PresenceFanOut.EDU_TYPE, new InboundPresence(ephemeral.presence()));
        router.register(new SendTransactionEndpoint(new InboundTransactions(
                new ReceivedTransactionStore(core.database()),
                new InboundPdus(
                        core.serverName(),
                        rooms.rooms(),
                        rooms.events(),
                        rooms.state(),
                        rooms.creator(),
                        received,
                        acls,
                        outbound.client(),
                        new OutOfBandMemberships(
                                core.serverName(),
                                new RemoteKnockStore(core.database()),
                                new RemoteInviteStore(core.database()),
                                rooms.persister(),
                                core.notifier())),
                Map.copyOf(edus),
                core.clock())));
        InboundInvites invites = new InboundInvites(
                core.serverName(),
                signingKey,
                new FetchedKeyLookup(fetcher),
                rooms.persister(),
                rooms.state(),
                new RemoteInviteStore(core.database()),
                core.notifier(),
                acls,
                new BlockedRoomStore(core.database()));
        router.register(new InviteEndpoint(invites));
        router.register(new InviteV1Endpoint(invites));
        rooms.eventListeners().add(fanOut);
        EphemeralFanOut ephemeralFanOut = new EphemeralFanOut(core.serverName(), rooms.state(), outbound.sender());
        ephemeral.typing().addListener(ephemeralFanOut);
        ephemeral.receiptHandler().addPublicReceiptListener(ephemeralFanOut);
        PresenceFanOut presenceFanOut = new PresenceFanOut(
                core.serverName(), rooms.state(), ephemeral.presence(), outbound.sender(), core.clock());
        ephemeral.presence().addListener(presenceFanOut);
        rooms.eventListeners().add(presenceFanOut);
        RequestVerifier verifier = new RequestVerifier(core.serverName(), fetcher, core.clock());
        ServerAuthenticator authenticator = new XMatrixServerAuthenticator(verifier, whitelist);
        TransactionSender sender = outbound.sender();
        // a server that signs a request to this one is up: what waits for it in backoff goes now
        ServerAuthenticator wakingQueues = request -> {
            ServerName origin = authenticator.authenticate(request);
            sender.destinationSeenUp(origin);
            return origin;
        };
        return new FederationArea(wakingQueues, serverKeys);
    }

    /** The check of X-Matrix signatures, for the HTTP server. */
    public ServerAuthenticator serverAuthenticator() {
        return serverAuthenticator;
    }

    /** Other servers' keys as fetched. */
    public ServerKeyStore serverKeys() {
        return serverKeys;
    }
}
