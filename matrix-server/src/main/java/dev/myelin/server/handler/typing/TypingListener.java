package dev.myelin.server.handler.typing;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;

/** Told when a local user starts or stops typing in a room (not when a timeout ends it). */
@FunctionalInterface
public interface TypingListener {
    void onTyping(RoomId room, UserId user, boolean typing);
}
