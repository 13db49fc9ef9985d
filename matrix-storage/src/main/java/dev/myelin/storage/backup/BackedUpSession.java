package dev.myelin.storage.backup;

import dev.myelin.core.id.RoomId;

/** A session key in a backup, with the room and session it belongs to. */
public record BackedUpSession(RoomId room, String sessionId, SessionBackup backup) {}
