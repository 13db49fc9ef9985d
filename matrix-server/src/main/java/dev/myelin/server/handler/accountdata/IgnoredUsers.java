package dev.myelin.server.handler.accountdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.account.AccountDataStore;
import java.util.HashSet;
import java.util.Set;

/**
 * The users a user ignores: the keys of {@code ignored_users} in their {@code m.ignored_user_list}
 * account data, read again whenever the user's account data changed, so that a change applies at once. Entries that are not user
 * ids are skipped, as is content of the wrong shape: the list is the client's to write.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#ignoring-users">Ignoring users</a>
 */
public final class IgnoredUsers {
    /** The account data type holding the list. */
    public static final String ACCOUNT_DATA_TYPE = "m.ignored_user_list";

    /** A user's list as read when account data stood at {@code position}. */
    private record Read(Set<UserId> users, long position) {}

    private final AccountDataStore accountData;
    /** Every read of history asks it; a list stays while the user's account data has not moved. */
    private final Cache<UserId, Read> reads =
            Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run).build();

    public IgnoredUsers(AccountDataStore accountData) {
        this.accountData = accountData;
    }

    /** Whom {@code user} ignores; empty when they ignore nobody. */
    public Set<UserId> of(UserId user) {
        Read read = reads.getIfPresent(user);
        if (read != null && !accountData.mayHaveChanged(user, read.position())) {
            return read.users();
        }
        // the position first: a change after it is seen by mayHaveChanged, one before it by the read
        long position = accountData.currentPosition();
        Set<UserId> users = Set.copyOf(readList(user));
        reads.put(user, new Read(users, position));
        return users;
    }

    private Set<UserId> readList(UserId user) {
        JsonNode ignored = accountData
                .getGlobal(user, ACCOUNT_DATA_TYPE)
                .map(content -> content.path("ignored_users"))
                .orElse(null);
        if (ignored == null || !ignored.isObject() || ignored.isEmpty()) {
            return Set.of();
        }
        Set<UserId> out = new HashSet<>();
        ignored.fieldNames().forEachRemaining(id -> {
            if (UserId.isValid(id)) {
                out.add(UserId.parse(id));
            }
        });
        return out;
    }
}
