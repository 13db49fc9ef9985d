package dev.myelin.storage.event;

/** Which way /messages paginates: {@code f} (forwards, oldest first) or {@code b} (backwards, newest first). */
public enum Direction {
    /** Oldest first, towards the present ({@code dir=f}). */
    FORWARDS,
    /** Newest first, into the past ({@code dir=b}). */
    BACKWARDS
}
