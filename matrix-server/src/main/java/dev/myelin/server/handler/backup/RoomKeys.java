package dev.myelin.server.handler.backup;

/**
 * The backed-up keys at one level of {@code /room_keys/keys}: every room's ({@link RoomKeysBackup}),
 * one room's ({@link RoomKeyBackup}) or one session's ({@link KeyBackupData}). Each is both the
 * body of a {@code PUT} and the answer of a {@code GET} at its level.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-side-key-backups">Server-side key backups</a>
 */
public sealed interface RoomKeys permits RoomKeysBackup, RoomKeyBackup, KeyBackupData {}
