package dev.myelin.server.area;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.openid.RequestOpenIdTokenEndpoint;
import dev.myelin.server.api.federation.OpenIdUserInfoEndpoint;
import dev.myelin.server.handler.openid.OpenIdTokens;
import dev.myelin.storage.Database;
import dev.myelin.storage.account.OpenIdTokenStore;

/** OpenID tokens: clients request them, and widgets' backends check them over federation. */
public final class OpenIdArea {
    private OpenIdArea() {}

    public static void install(Router router, Database database, Clock clock, ServerName serverName) {
        OpenIdTokens tokens = new OpenIdTokens(clock, new OpenIdTokenStore(database));
        router.register(new RequestOpenIdTokenEndpoint(tokens, serverName));
        // the one federation endpoint served so far: widgets' backends check OpenID tokens with it
        router.register(new OpenIdUserInfoEndpoint(tokens));
    }
}
