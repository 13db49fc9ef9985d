package dev.myelin.server.handler.userdirectory;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.storage.account.UserDirectoryStore;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer of a user directory search.
 *
 * @param results the users found, at most the limit asked for
 * @param limited whether there were more than the limit
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3user_directorysearch">spec</a>
 */
public record UserDirectoryResults(List<User> results, boolean limited) {

    /**
     * One user found. A name or avatar the user has not set is written as {@code null}, as
     * Synapse writes it, rather than left out.
     *
     * @param userId the user's id
     * @param displayName the display name, or null
     * @param avatarUrl the avatar URL, or null
     */
    public record User(
            String userId,

            @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            String displayName,

            @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            String avatarUrl) {
        static User of(UserDirectoryStore.Entry entry) {
            return new User(
                    entry.userId().toString(),
                    entry.displayName().orElse(null),
                    entry.avatarUrl().orElse(null));
        }
    }

    static UserDirectoryResults of(List<UserDirectoryStore.Entry> entries, boolean limited) {
        return new UserDirectoryResults(entries.stream().map(User::of).toList(), limited);
    }
}
