package dev.myelin.server.handler.sync;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.filter.SyncFilter;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.storage.account.AccountDataChange;
import dev.myelin.storage.receipt.Receipt;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one sync computation has read once and every room reuses: who syncs with which filter,
 * the token range, and the account data and receipts that changed in it, by room.
 */
record SyncContext(
        UserId user,
        ClientEvents.Viewer viewer,
        SyncFilter filter,
        SyncToken now,
        Optional<SyncToken> since,
        Map<RoomId, List<AccountDataChange>> roomAccountData,
        Map<RoomId, List<Receipt>> receipts) {}
