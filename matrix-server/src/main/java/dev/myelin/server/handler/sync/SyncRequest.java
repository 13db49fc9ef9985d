package dev.myelin.server.handler.sync;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.filter.SyncFilter;
import java.time.Duration;
import java.util.Optional;

/**
 * One {@code /sync} call's parameters. Two equal requests in flight at once share one computation,
 * so a client that retries a timed-out long-poll does not double the work.
 *
 * @param since    empty for an initial sync
 * @param timeout  how long to wait for something to report when there is nothing yet
 */
public record SyncRequest(
        UserId user,
        Optional<DeviceId> device,
        Optional<SyncToken> since,
        SyncFilter filter,
        boolean fullState,
        Duration timeout) {}
