package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answer to {@code make_join}: an unsigned join event for the joining server to complete and
 * sign, and the room's version.
 *
 * @param event the event template
 * @param room_version the room's version id
 */
public record MakeJoinResponse(ObjectNode event, String room_version) {}
