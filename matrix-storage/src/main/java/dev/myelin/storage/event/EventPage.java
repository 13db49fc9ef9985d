package dev.myelin.storage.event;

import java.util.List;

/** One page of room events, in the order of the direction asked for, and the token to continue from. */
public record EventPage(List<StoredEvent> events, RoomPosition next) {}
