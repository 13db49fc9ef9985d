package dev.myelin.server.handler.room;

import dev.myelin.core.event.Pdu;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listeners told about every persisted event, in the order they were added: the sync notifier
 * first, then those that feature areas add as they are installed (push notifications). Adding is
 * meant for start-up; telling is lock-free.
 */
public final class NewEventListeners implements NewEventListener {
    private final List<NewEventListener> listeners = new CopyOnWriteArrayList<>();

    public NewEventListeners(NewEventListener first) {
        listeners.add(first);
    }

    /** Adds a listener after those already added. */
    public void add(NewEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void onNewEvent(Pdu event, long streamOrdering) {
        for (NewEventListener listener : listeners) {
            listener.onNewEvent(event, streamOrdering);
        }
    }
}
