package dev.myelin.server.api.client.room;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The body of membership changes of one's own ({@code join}, {@code leave}) and of redactions: an
 * optional {@code reason}. These endpoints also accept no body at all.
 *
 * @param reason why, shown to other members
 */
public record ReasonRequest(@Nullable String reason) {
    /** A body without a reason. */
    public static final ReasonRequest NONE = new ReasonRequest(null);

    /** The reason, when one was given. */
    public Optional<String> optionalReason() {
        return Optional.ofNullable(reason);
    }
}
