package dev.myelin.server.handler.room;

import dev.myelin.core.event.Pdu;

/** Told about every event after it is persisted, e.g. to wake long-polling {@code /sync} requests. */
@FunctionalInterface
public interface NewEventListener {
    void onNewEvent(Pdu event, long streamOrdering);

    NewEventListener NONE = (event, position) -> {};
}
