package dev.myelin.server.area;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimiter;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.server.handler.appservice.AppServices;
import dev.myelin.server.handler.auth.PasswordGuessLimiter;
import dev.myelin.server.handler.auth.TokenAuthenticator;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.Database;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.account.PasswordHasher;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.stream.StreamIds;
import dev.myelin.storage.threepid.ThreePidStore;
import java.util.List;

/**
 * What nearly every area of the homeserver shares: the clock, the server's name, the database with
 * its stream positions, the notifier that wakes long-polling syncs, and who is asking (users, their
 * devices and access tokens, the token authenticator, password checks and user-interactive auth,
 * and the registered application services).
 */
public record Core(
        Clock clock,
        ServerName serverName,
        Database database,
        StreamIds streams,
        Notifier notifier,
        UserStore users,
        AccessTokenStore tokens,
        DeviceStore devices,
        TokenAuthenticator authenticator,
        PasswordGuessLimiter passwords,
        UserInteractiveAuth uia,
        AppServices appServices) {

    /**
     * BCrypt cost for password hashes; tests lower it because hashing is deliberately slow.
     * {@code failedPasswords} is {@code rc_login.failed_attempts}: wrong passwords per account.
     * {@code appServices} are the registered application services, whose tokens authenticate them.
     */
    public static Core create(
            Database database,
            Clock clock,
            ServerName serverName,
            int bcryptCost,
            RateLimit failedPasswords,
            List<AppServiceRegistration> appServices) {
        AppServices services = new AppServices(appServices, serverName);
        UserStore users = new UserStore(database, clock, PasswordHasher.bcrypt(bcryptCost));
        PasswordGuessLimiter passwords = new PasswordGuessLimiter(users, new RateLimiter(clock), failedPasswords);
        AccessTokenStore tokens = new AccessTokenStore(database, clock);
        DeviceStore devices = new DeviceStore(database, clock);
        ThreePidStore threePids = new ThreePidStore(database);
        return new Core(
                clock,
                serverName,
                database,
                new StreamIds(database),
                new Notifier(clock),
                users,
                tokens,
                devices,
                new TokenAuthenticator(tokens, users, devices, clock, services),
                passwords,
                new UserInteractiveAuth(
                        clock,
                        passwords,
                        serverName,
                        (medium, address) -> threePids.owner(medium, address).map(t -> UserId.parse(t.userId()))),
                services);
    }
}
