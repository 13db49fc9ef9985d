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
import dev.myelin.server.api.client.accountdata.DeleteTagEndpoint;
import dev.myelin.server.api.client.accountdata.GetAccountDataEndpoint;
import dev.myelin.server.api.client.accountdata.GetTagsEndpoint;
import dev.myelin.server.api.client.accountdata.PutAccountDataEndpoint;
import dev.myelin.server.api.client.accountdata.PutTagEndpoint;
import dev.myelin.server.api.client.filter.CreateFilterEndpoint;
import dev.myelin.server.api.client.filter.GetFilterEndpoint;
import dev.myelin.server.api.client.receipt.ReadMarkersEndpoint;
import dev.myelin.server.api.client.receipt.ReceiptEndpoint;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import dev.myelin.server.api.client.typing.TypingEndpoint;
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

        // ---- sync, filters, typing, receipts, account data and tags ----
        router.register(new SyncEndpoint(h.sync(), stores.filters()));
        router.register(new CreateFilterEndpoint(stores.filters()));
        router.register(new GetFilterEndpoint(stores.filters()));
        router.register(new TypingEndpoint(h.typing()));
        router.register(new ReceiptEndpoint(h.receipts()));
        router.register(new ReadMarkersEndpoint(h.receipts()));
        router.register(new GetAccountDataEndpoint(h.accountData(), false));
        router.register(new PutAccountDataEndpoint(h.accountData(), false));
        router.register(new GetAccountDataEndpoint(h.accountData(), true));
        router.register(new PutAccountDataEndpoint(h.accountData(), true));
        router.register(new GetTagsEndpoint(h.accountData()));
        router.register(new PutTagEndpoint(h.accountData()));
        router.register(new DeleteTagEndpoint(h.accountData()));
        // ---- end of sync block ----
    }
}
