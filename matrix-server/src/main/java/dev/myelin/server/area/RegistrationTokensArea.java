package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.admin.tokens.DeleteRegistrationTokenEndpoint;
import dev.myelin.server.api.admin.tokens.GetRegistrationTokenEndpoint;
import dev.myelin.server.api.admin.tokens.ListRegistrationTokensEndpoint;
import dev.myelin.server.api.admin.tokens.NewRegistrationTokenEndpoint;
import dev.myelin.server.api.admin.tokens.UpdateRegistrationTokenEndpoint;
import dev.myelin.server.api.client.account.RegistrationTokenValidityEndpoint;
import dev.myelin.server.handler.admin.RegistrationTokenAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;
import dev.myelin.server.handler.auth.RegistrationTokens;
import dev.myelin.storage.account.RegistrationTokenStore;

/**
 * Token-authenticated registration: Synapse's admin API for the tokens, the spec's validity check,
 * and the registration stage that {@link AccountsArea} adds to registration when {@code
 * registration_requires_token} is on.
 */
public final class RegistrationTokensArea {
    private RegistrationTokensArea() {}

    /** Registers the endpoints; the stage, for registration to use when tokens are required. */
    public static RegistrationTokens install(Router router, Core core, boolean registrationEnabled) {
        RegistrationTokenStore store = new RegistrationTokenStore(core.database());
        RegistrationTokens tokens = new RegistrationTokens(store, core.clock());
        ServerAdmins admins = new ServerAdmins(core.users());
        RegistrationTokenAdmin admin = new RegistrationTokenAdmin(store, core.clock());
        router.register(new ListRegistrationTokensEndpoint(admins, admin));
        router.register(new GetRegistrationTokenEndpoint(admins, admin));
        router.register(new NewRegistrationTokenEndpoint(admins, admin));
        router.register(new UpdateRegistrationTokenEndpoint(admins, admin));
        router.register(new DeleteRegistrationTokenEndpoint(admins, admin));
        router.register(new RegistrationTokenValidityEndpoint(tokens, registrationEnabled));
        return tokens;
    }
}
