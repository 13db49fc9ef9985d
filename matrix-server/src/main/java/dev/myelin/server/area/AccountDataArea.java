package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.accountdata.DeleteTagEndpoint;
import dev.myelin.server.api.client.accountdata.GetAccountDataEndpoint;
import dev.myelin.server.api.client.accountdata.GetTagsEndpoint;
import dev.myelin.server.api.client.accountdata.PutAccountDataEndpoint;
import dev.myelin.server.api.client.accountdata.PutTagEndpoint;
import dev.myelin.server.handler.accountdata.AccountDataHandler;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.account.TagStore;

/**
 * Client config: global and per-room account data and room tags. Offers the account data store,
 * where read markers and push rules are kept too and which sync reports.
 */
public final class AccountDataArea {
    private final AccountDataStore accountData;

    private AccountDataArea(AccountDataStore accountData) {
        this.accountData = accountData;
    }

    public static AccountDataArea install(Router router, Core core) {
        AccountDataStore accountData = new AccountDataStore(core.database(), core.streams());
        AccountDataHandler handler =
                new AccountDataHandler(accountData, new TagStore(core.database(), core.streams()), core.notifier());
        router.register(new GetAccountDataEndpoint(handler, false));
        router.register(new PutAccountDataEndpoint(handler, false));
        router.register(new GetAccountDataEndpoint(handler, true));
        router.register(new PutAccountDataEndpoint(handler, true));
        router.register(new GetTagsEndpoint(handler));
        router.register(new PutTagEndpoint(handler));
        router.register(new DeleteTagEndpoint(handler));
        return new AccountDataArea(accountData);
    }

    public AccountDataStore store() {
        return accountData;
    }
}
