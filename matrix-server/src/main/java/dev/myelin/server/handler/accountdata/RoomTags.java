package dev.myelin.server.handler.accountdata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A room's tags for one user, {@code {"tags": {name: content}}}. Each content is a JSON object
 * because the spec names only its {@code order} and clients keep more in it.
 *
 * @param tags the tags by name, in the store's order
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3useruseridroomsroomidtags">spec</a>
 */
public record RoomTags(Map<String, ObjectNode> tags) {}
