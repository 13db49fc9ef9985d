package dev.myelin.server.area;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.legacy.RedactWithoutTxnEndpoint;
import dev.myelin.server.api.client.room.ContextEndpoint;
import dev.myelin.server.api.client.room.CreateRoomEndpoint;
import dev.myelin.server.api.client.room.ForgetEndpoint;
import dev.myelin.server.api.client.room.GetEventEndpoint;
import dev.myelin.server.api.client.room.GetStateEndpoint;
import dev.myelin.server.api.client.room.GetStateEventEndpoint;
import dev.myelin.server.api.client.room.InviteEndpoint;
import dev.myelin.server.api.client.room.JoinEndpoint;
import dev.myelin.server.api.client.room.JoinRoomEndpoint;
import dev.myelin.server.api.client.room.JoinedMembersEndpoint;
import dev.myelin.server.api.client.room.JoinedRoomsEndpoint;
import dev.myelin.server.api.client.room.KnockEndpoint;
import dev.myelin.server.api.client.room.LeaveEndpoint;
import dev.myelin.server.api.client.room.MembersEndpoint;
import dev.myelin.server.api.client.room.MessagesEndpoint;
import dev.myelin.server.api.client.room.ModerationEndpoint;
import dev.myelin.server.api.client.room.RedactEndpoint;
import dev.myelin.server.api.client.room.SendEventEndpoint;
import dev.myelin.server.api.client.room.SetStateEndpoint;
import dev.myelin.server.api.client.room.TimestampToEventEndpoint;
import dev.myelin.server.api.client.room.UpgradeRoomEndpoint;
import dev.myelin.server.handler.appservice.AppServiceQueries;
import dev.myelin.server.handler.directory.RemoteAliases;
import dev.myelin.server.handler.federation.FetchedKeyLookup;
import dev.myelin.server.handler.federation.InviteExchange;
import dev.myelin.server.handler.federation.RemoteInviteRejection;
import dev.myelin.server.handler.federation.RemoteJoins;
import dev.myelin.server.handler.federation.RemoteKnocks;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.room.CanonicalAliasCheck;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.HistoryBackfill;
import dev.myelin.server.handler.room.InviteRateLimits;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.server.handler.room.PaginationTokens;
import dev.myelin.server.handler.room.RestrictedJoinAuthoriser;
import dev.myelin.server.handler.room.RoomCreator;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.server.handler.room.RoomStateHandler;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.threepid.ThirdPartyInvites;
import dev.myelin.server.handler.upgrade.RoomSettingsTransfer;
import dev.myelin.server.handler.upgrade.RoomUpgrader;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.account.TagStore;
import dev.myelin.storage.room.BlockedRoomStore;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.room.RemoteInviteStore;
import dev.myelin.storage.room.RemoteKnockStore;
import dev.myelin.storage.room.RoomAliasStore;

/**
 * Rooms: creating and upgrading them, sending events, membership (inviting other servers' users,
 * rejecting their servers' invites over federation, knocking), state, single events, members and the timeline. Offers the alias store (the directory manages aliases) and the visibility-checked
 * reads that relations and reports build on.
 */
public final class RoomsArea {
    private final RoomAliasStore aliases;
    private final RoomReadHandler reads;
    private final MembershipHandler membership;
    private final RoomCreator creator;
    private final BlockedRoomStore blocked;

    private RoomsArea(
            RoomAliasStore aliases,
            RoomReadHandler reads,
            MembershipHandler membership,
            RoomCreator creator,
            BlockedRoomStore blocked) {
        this.aliases = aliases;
        this.reads = reads;
        this.membership = membership;
        this.creator = creator;
        this.blocked = blocked;
    }

    public static RoomsArea install(
            Router router,
            Core core,
            RoomCore rooms,
            ProfileStore profiles,
            RoomVersion defaultRoomVersion,
            InviteRateLimits inviteLimits,
            AccountDataStore accountData,
            PushRulesHandler pushRules,
            RemoteJoins remoteJoins,
            RemoteAliases remoteAliases,
            FederationOutbound federation,
            SigningKey signingKey,
            HistoryBackfill backfill,
            AppServiceQueries appServiceQueries,
            ThirdPartyInvites thirdPartyInvites) {
        RoomAliasStore aliases = new RoomAliasStore(core.database());
        ForgottenRoomStore forgotten = new ForgottenRoomStore(core.database());
        BlockedRoomStore blocked = new BlockedRoomStore(core.database());
        InviteExchange invites = new InviteExchange(
                federation.client(), rooms.state(), rooms.events(), new FetchedKeyLookup(federation.keys()));
        RoomCreator creator =
                new RoomCreator(aliases, rooms.rooms(), profiles, rooms.creator(), core.serverName(), invites);
        RoomSettingsTransfer upgradeSettings = new RoomSettingsTransfer(
                new TagStore(core.database(), core.streams()),
                accountData,
                pushRules,
                core.notifier(),
                aliases,
                rooms.rooms());
        MembershipHandler membership = new MembershipHandler(
                aliases,
                forgotten,
                rooms.state(),
                profiles,
                rooms.creator(),
                rooms.roomState(),
                upgradeSettings,
                remoteJoins,
                remoteAliases,
                core.serverName(),
                invites,
                new RemoteInviteRejection(
                        core.serverName(),
                        signingKey,
                        federation.client(),
                        new RemoteInviteStore(core.database()),
                        rooms.events(),
                        rooms.persister(),
                        core.notifier(),
                        core.clock()),
                new RemoteKnocks(
                        core.serverName(),
                        signingKey,
                        federation.client(),
                        new RemoteKnockStore(core.database()),
                        rooms.events(),
                        rooms.persister(),
                        core.notifier(),
                        core.clock()),
                new RestrictedJoinAuthoriser(rooms.roomState(), rooms.state(), core.serverName()),
                appServiceQueries,
                blocked);
        RoomStateHandler stateWrites = new RoomStateHandler(
                rooms.events(), rooms.creator(), rooms.roomState(), new CanonicalAliasCheck(aliases));
        RoomReadHandler reads = new RoomReadHandler(forgotten, rooms.events(), rooms.roomState(), rooms.visibility());
        RoomTimelineHandler timeline =
                new RoomTimelineHandler(rooms.events(), rooms.roomState(), rooms.visibility(), reads, backfill);
        ClientEvents clientEvents = rooms.clientEvents();
        PaginationTokens tokens = new PaginationTokens(rooms.events());

        router.register(new CreateRoomEndpoint(creator, defaultRoomVersion, membership, thirdPartyInvites));
        router.register(new SendEventEndpoint(rooms.creator(), rooms.transactions()));
        router.register(new JoinEndpoint(membership));
        router.register(new JoinRoomEndpoint(membership));
        router.register(new KnockEndpoint(membership));
        router.register(new InviteEndpoint(membership, inviteLimits, thirdPartyInvites));
        router.register(new LeaveEndpoint(membership));
        router.register(new ForgetEndpoint(membership));
        for (ModerationEndpoint.Action action : ModerationEndpoint.Action.values()) {
            router.register(new ModerationEndpoint(membership, action));
        }
        router.register(new JoinedRoomsEndpoint(membership));
        router.register(new SetStateEndpoint(stateWrites));
        router.register(new GetStateEventEndpoint(reads, clientEvents));
        router.register(new GetStateEndpoint(reads, clientEvents));
        router.register(new GetEventEndpoint(reads, clientEvents));
        router.register(new RedactEndpoint(stateWrites, rooms.transactions()));
        router.register(new RedactWithoutTxnEndpoint(stateWrites));
        router.register(new MembersEndpoint(reads, clientEvents, tokens));
        router.register(new JoinedMembersEndpoint(reads));
        router.register(new MessagesEndpoint(timeline, clientEvents, tokens));
        router.register(new ContextEndpoint(timeline, clientEvents));
        router.register(new TimestampToEventEndpoint(timeline));
        router.register(new UpgradeRoomEndpoint(new RoomUpgrader(
                rooms.rooms(),
                rooms.state(),
                aliases,
                rooms.creator(),
                creator,
                rooms.roomState(),
                upgradeSettings,
                core.serverName())));
        return new RoomsArea(aliases, reads, membership, creator, blocked);
    }

    public RoomAliasStore aliases() {
        return aliases;
    }

    /** Reads of rooms, events and members, as far as the reader may see them. */
    public RoomReadHandler reads() {
        return reads;
    }

    /** Joins, leaves, kicks: what server admins do to rooms goes through the same rules. */
    public MembershipHandler membership() {
        return membership;
    }

    /** Creates rooms (an admin's room deletion moves the users to a new one). */
    public RoomCreator roomCreator() {
        return creator;
    }

    /** The rooms server admins blocked, which {@link #membership()} keeps local users out of. */
    public BlockedRoomStore blocked() {
        return blocked;
    }
}
