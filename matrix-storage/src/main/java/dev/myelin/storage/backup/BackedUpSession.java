package dev.myelin.storage.backup;

/**
 * A session key in a backup, with the room and session it belongs to. The room id is the client's
 * label for the key, kept as sent: the server never looks the room up.
 */
public record BackedUpSession(String room, String sessionId, SessionBackup backup) {}
