package dev.myelin.storage.event;

/** Which way /messages paginates: {@code f} (forwards, oldest first) or {@code b} (backwards, newest first). */
public enum Direction { FORWARDS, BACKWARDS }
