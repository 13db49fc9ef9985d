package dev.myelin.storage.testing;

import dev.myelin.storage.Database;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.state.StateStore;
import dev.myelin.storage.stream.StreamIds;

/** The event-side stores wired over one database, as the server's composition root would. */
public record Stores(Database db, StreamIds streams, StateStore state, EventStore events, EventPersister persister) {
    public static Stores over(Database db) {
        StreamIds streams = new StreamIds(db);
        StateStore state = new StateStore(db);
        return new Stores(db, streams, state, new EventStore(db, streams), new EventPersister(db, streams, state));
    }
}
