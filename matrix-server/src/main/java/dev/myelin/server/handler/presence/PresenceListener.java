package dev.myelin.server.handler.presence;

/** Told when a local user's presence state or status message changes. */
@FunctionalInterface
public interface PresenceListener {
    void onPresence(PresenceStatus status);
}
