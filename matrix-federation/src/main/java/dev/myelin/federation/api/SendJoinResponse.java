package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer to {@code send_join} (v2): the room's state before the join and its auth chain, as
 * PDUs.
 *
 * @param origin the resident server
 * @param state the room state before the join event
 * @param auth_chain the auth chain of that state and of the join event
 * @param event the join event with the resident server's signature, for restricted joins
 * @param members_omitted whether member events were left out of {@code state} (partial state)
 * @param servers_in_room the servers in the room, when members were omitted
 */
public record SendJoinResponse(
        String origin,
        List<ObjectNode> state,
        List<ObjectNode> auth_chain,
        @Nullable ObjectNode event,
        @Nullable Boolean members_omitted,
        @Nullable List<String> servers_in_room) {
    public SendJoinResponse {
        state = state == null ? List.of() : List.copyOf(state);
        auth_chain = auth_chain == null ? List.of() : List.copyOf(auth_chain);
    }
}
