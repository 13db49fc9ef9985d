package dev.myelin.bench;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.SystemClock;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.account.PasswordHasher;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.account.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Creates the scenario accounts straight in the database through the storage module's stores,
 * before the server starts: registering 10,000 users over HTTP would cost 10,000 BCrypt hashes at
 * the server's cost factor (minutes of CPU), which is measured by the {@code register-login}
 * scenario instead. The accounts have no password, one device and an access token, as a
 * registration leaves them.
 */
final class Seeder {

    /** A seeded user and its access token. */
    record Account(String userId, String token) {}

    private Seeder() {}

    static List<Account> seed(DatabaseConfig config, List<String> localparts) throws Exception {
        try (Database db = Database.open(config);
                ExecutorService pool =
                        Executors.newFixedThreadPool(config.sqliteFile().isPresent() ? 2 : 8)) {
            UserStore users = new UserStore(db, SystemClock.INSTANCE, PasswordHasher.bcrypt(4));
            ProfileStore profiles = new ProfileStore(db);
            DeviceStore devices = new DeviceStore(db, SystemClock.INSTANCE);
            AccessTokenStore tokens = new AccessTokenStore(db, SystemClock.INSTANCE);
            ServerName server = ServerName.parse(ServerProcess.SERVER_NAME);
            DeviceId device = DeviceId.parse("BENCH");
            List<Future<Account>> futures = new ArrayList<>();
            for (String localpart : localparts) {
                futures.add(pool.submit(() -> {
                    UserId user = UserId.of(localpart, server);
                    users.create(user, null, false);
                    profiles.setDisplayName(user, localpart);
                    devices.create(user, device, null);
                    String token = tokens.issue(user, device, null, false).accessToken();
                    return new Account(user.toString(), token);
                }));
            }
            List<Account> accounts = new ArrayList<>(futures.size());
            for (Future<Account> f : futures) {
                accounts.add(f.get());
            }
            return accounts;
        }
    }
}
