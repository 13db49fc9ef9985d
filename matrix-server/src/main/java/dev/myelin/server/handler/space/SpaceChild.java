package dev.myelin.server.handler.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code m.space.child} link of a space: the child room, the servers to reach it through, its
 * place among its siblings and whether it is suggested. A link whose {@code via} is not a list of
 * strings with at least one server name is no link (an empty {@code via} is the spec's way to
 * remove a child), so {@link #of} gives none for it.
 *
 * @param room the child room (the event's state key)
 * @param via the servers to ask about it
 * @param order the {@code order} field when it is valid (printable ASCII, at most 50 characters)
 * @param suggested whether the space suggests the child
 * @param originServerTs when the link was made
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mspacechild">spec</a>
 */
record SpaceChild(
        RoomId room, List<ServerName> via, @Nullable String order, boolean suggested, long originServerTs) {
    static final String TYPE = "m.space.child";
    private static final int MAX_ORDER_LENGTH = 50;

    /** Siblings in the spec's order: by {@code order} (those without one last), then age, then id. */
    static final Comparator<SpaceChild> ORDER = Comparator.comparing(
                    (SpaceChild c) -> c.order() == null ? "\u007f".repeat(MAX_ORDER_LENGTH + 1) : c.order())
            .thenComparingLong(SpaceChild::originServerTs)
            .thenComparing(c -> c.room().value());

    SpaceChild {
        via = List.copyOf(via);
    }

    /**
     * The link a stripped {@code m.space.child} event ({@code state_key}, {@code content},
     * {@code origin_server_ts}) makes; empty when its state key is no room id or its {@code via}
     * names no server.
     */
    static Optional<SpaceChild> of(JsonNode stripped) {
        if (!TYPE.equals(stripped.path("type").asText(null))) {
            return Optional.empty();
        }
        String stateKey = stripped.path("state_key").asText("");
        if (!RoomId.isValid(stateKey)) {
            return Optional.empty();
        }
        JsonNode content = stripped.path("content");
        JsonNode servers = content.path("via");
        if (!servers.isArray()) {
            return Optional.empty();
        }
        List<ServerName> via = new ArrayList<>();
        for (JsonNode server : servers) {
            if (!server.isTextual()) {
                // as Synapse reads links: one entry that is no string spoils the list
                return Optional.empty();
            }
            if (ServerName.isValid(server.textValue())) {
                via.add(ServerName.parse(server.textValue()));
            }
        }
        if (via.isEmpty()) {
            return Optional.empty();
        }
        JsonNode order = content.path("order");
        String validOrder = order.isTextual() && validOrder(order.textValue()) ? order.textValue() : null;
        return Optional.of(new SpaceChild(
                RoomId.parse(stateKey),
                via,
                validOrder,
                content.path("suggested").asBoolean(false)
                        && content.path("suggested").isBoolean(),
                stripped.path("origin_server_ts").asLong(0)));
    }

    /** The links among {@code childrenState}, in order, only the suggested ones when asked. */
    static List<SpaceChild> linksIn(List<ObjectNode> childrenState, boolean suggestedOnly) {
        return childrenState.stream()
                .map(SpaceChild::of)
                .flatMap(Optional::stream)
                .filter(c -> !suggestedOnly || c.suggested())
                .sorted(ORDER)
                .toList();
    }

    private static boolean validOrder(String order) {
        return order.length() <= MAX_ORDER_LENGTH && order.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }
}
