package dev.myelin.server.area;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.server.handler.accountdata.IgnoredUsers;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventWriters;
import dev.myelin.server.handler.room.HistoryVisibilityFilter;
import dev.myelin.server.handler.room.NewEventListeners;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.server.handler.room.TransactionIds;
import dev.myelin.storage.Database;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.account.ErasedUserStore;
import dev.myelin.storage.event.ClientTransactionStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.EventTxnIdStore;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.relation.RelationStore;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateStore;

/**
 * What every area that touches rooms shares: the event, state and room stores, event creation and
 * persistence (the persister itself for events that other servers made), reads of room state, history visibility, the client format of events,
 * transaction-id deduplication of sends, and the listeners told of each persisted event (areas add
 * theirs to {@code eventListeners}).
 */
public record RoomCore(
        EventStore events,
        StateStore state,
        RoomStore rooms,
        RelationStore relations,
        EventPersister persister,
        EventCreator creator,
        RoomStateReader roomState,
        HistoryVisibilityFilter visibility,
        ClientEvents clientEvents,
        TransactionIds transactions,
        NewEventListeners eventListeners) {

    public static RoomCore create(Core core, SigningKey signingKey) {
        return create(core, signingKey, EventWriters.HERE);
    }

    /** The rooms' core, creating the events of rooms that another process writes through {@code writers}. */
    public static RoomCore create(Core core, SigningKey signingKey, EventWriters writers) {
        Database db = core.database();
        EventStore events = new EventStore(db, core.streams());
        StateStore state = new StateStore(db);
        RoomStore rooms = new RoomStore(db);
        RelationStore relations = new RelationStore(db);
        EventTxnIdStore txnIds = new EventTxnIdStore(db);
        EventPersister persister = new EventPersister(db, core.streams(), state, relations);
        NewEventListeners listeners = new NewEventListeners(core.notifier());
        EventCreator creator = new EventCreator(
                rooms, events, state, persister, core.clock(), core.serverName(), signingKey, listeners, writers);
        RoomStateReader roomState = new RoomStateReader(rooms, state, events);
        return new RoomCore(
                events,
                state,
                rooms,
                relations,
                persister,
                creator,
                roomState,
                new HistoryVisibilityFilter(
                        events,
                        state,
                        roomState,
                        new IgnoredUsers(new AccountDataStore(db, core.streams())),
                        new ErasedUserStore(db)),
                new ClientEvents(events, relations, txnIds, state, core.clock()),
                new TransactionIds(core.clock(), txnIds, new ClientTransactionStore(db)),
                listeners);
    }
}
