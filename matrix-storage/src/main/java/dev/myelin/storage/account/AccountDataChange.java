package dev.myelin.storage.account;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import java.util.Optional;

/** One account data entry as of {@code streamId}: global when {@code room} is empty. */
public record AccountDataChange(Optional<RoomId> room, String type, ObjectNode content, long streamId) {}
