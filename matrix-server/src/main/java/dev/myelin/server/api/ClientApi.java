package dev.myelin.server.api;

import dev.myelin.core.time.Clock;
import dev.myelin.http.server.Router;
import dev.myelin.server.Stores;
import dev.myelin.server.api.admin.SharedSecretRegisterEndpoints;
import dev.myelin.server.api.client.VersionsEndpoint;
import dev.myelin.server.api.client.WellKnownClientEndpoint;
import dev.myelin.server.api.client.account.LoginEndpoint;
import dev.myelin.server.api.client.account.LoginFlowsEndpoint;
import dev.myelin.server.api.client.account.LogoutEndpoint;
import dev.myelin.server.api.client.account.RefreshEndpoint;
import dev.myelin.server.api.client.account.RegisterAvailableEndpoint;
import dev.myelin.server.api.client.account.RegisterEndpoint;
import dev.myelin.server.api.client.account.WhoamiEndpoint;
import dev.myelin.server.api.client.room.CreateRoomEndpoint;
import dev.myelin.server.api.client.room.SendEventEndpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.server.api.client.directory.DeleteAliasEndpoint;
import dev.myelin.server.api.client.directory.GetAliasEndpoint;
import dev.myelin.server.api.client.directory.GetRoomVisibilityEndpoint;
import dev.myelin.server.api.client.directory.PublicRoomsEndpoint;
import dev.myelin.server.api.client.directory.PutAliasEndpoint;
import dev.myelin.server.api.client.directory.RoomAliasesEndpoint;
import dev.myelin.server.api.client.directory.SetRoomVisibilityEndpoint;
import dev.myelin.server.api.client.room.ContextEndpoint;
import dev.myelin.server.api.client.room.ForgetEndpoint;
import dev.myelin.server.api.client.room.GetEventEndpoint;
import dev.myelin.server.api.client.room.GetStateEndpoint;
import dev.myelin.server.api.client.room.GetStateEventEndpoint;
import dev.myelin.server.api.client.room.JoinedMembersEndpoint;
import dev.myelin.server.api.client.room.MembersEndpoint;
import dev.myelin.server.api.client.room.MessagesEndpoint;
import dev.myelin.server.api.client.room.RedactEndpoint;
import dev.myelin.server.api.client.room.SetStateEndpoint;
import dev.myelin.server.api.client.room.TimestampToEventEndpoint;
import dev.myelin.server.api.client.room.InviteEndpoint;
import dev.myelin.server.api.client.room.JoinEndpoint;
import dev.myelin.server.api.client.room.JoinRoomEndpoint;
import dev.myelin.server.api.client.room.JoinedRoomsEndpoint;
import dev.myelin.server.api.client.room.LeaveEndpoint;
import dev.myelin.server.api.client.room.ModerationEndpoint;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.handler.Handlers;

/** Registers the Client-Server API (and the admin endpoints clients' tooling uses), one line per endpoint. */
public final class ClientApi {
    private ClientApi() {}

    public static void register(Router router, HomeserverConfig config, Clock clock, Stores stores, Handlers h) {
        router.register(new VersionsEndpoint());
        router.register(new WellKnownClientEndpoint(config.publicBaseUrl()));

        router.register(new RegisterEndpoint(h.accounts(), h.uia(), clock, config.enableRegistration()));
        router.register(new RegisterAvailableEndpoint(h.accounts()));
        router.register(new LoginFlowsEndpoint());
        router.register(new LoginEndpoint(h.accounts(), h.uia(), clock));
        router.register(new RefreshEndpoint(stores.tokens(), clock));
        router.register(new WhoamiEndpoint());
        router.register(new LogoutEndpoint(stores.tokens(), stores.devices(), false));
        router.register(new LogoutEndpoint(stores.tokens(), stores.devices(), true));
        new SharedSecretRegisterEndpoints(h.accounts(), clock, config.registrationSharedSecret())
                .endpoints().forEach(router::register);

        router.register(new CreateRoomEndpoint(h.rooms(), h.defaultRoomVersion()));
        router.register(new SendEventEndpoint(h.events(), h.transactions()));

        // ---- rooms: membership, state, events, timeline, aliases and directory ----
        router.register(new JoinEndpoint(h.membership()));
        router.register(new JoinRoomEndpoint(h.membership()));
        router.register(new InviteEndpoint(h.membership()));
        router.register(new LeaveEndpoint(h.membership()));
        router.register(new ForgetEndpoint(h.membership()));
        router.register(new ModerationEndpoint(h.membership(), ModerationEndpoint.Action.KICK));
        router.register(new ModerationEndpoint(h.membership(), ModerationEndpoint.Action.BAN));
        router.register(new ModerationEndpoint(h.membership(), ModerationEndpoint.Action.UNBAN));
        router.register(new JoinedRoomsEndpoint(h.membership()));
        router.register(new SetStateEndpoint(h.roomStateWrites()));
        router.register(new GetStateEventEndpoint(h.roomReads(), h.clientEvents()));
        router.register(new GetStateEndpoint(h.roomReads(), h.clientEvents()));
        router.register(new GetEventEndpoint(h.roomReads(), h.clientEvents()));
        router.register(new RedactEndpoint(h.roomStateWrites(), h.transactions()));
        router.register(new MembersEndpoint(h.roomReads(), h.clientEvents()));
        router.register(new JoinedMembersEndpoint(h.roomReads()));
        router.register(new MessagesEndpoint(h.timeline(), h.clientEvents()));
        router.register(new ContextEndpoint(h.timeline(), h.clientEvents()));
        router.register(new TimestampToEventEndpoint(h.timeline()));
        router.register(new PutAliasEndpoint(h.directory()));
        router.register(new GetAliasEndpoint(h.directory()));
        router.register(new DeleteAliasEndpoint(h.directory()));
        router.register(new RoomAliasesEndpoint(h.directory()));
        router.register(new GetRoomVisibilityEndpoint(h.directory()));
        router.register(new SetRoomVisibilityEndpoint(h.directory()));
        router.register(new PublicRoomsEndpoint(h.directory(), h.serverName(), HttpMethod.GET));
        router.register(new PublicRoomsEndpoint(h.directory(), h.serverName(), HttpMethod.POST));
        // ---- end rooms ----
    }
}
