package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The notary's answer: each server's key responses as their owner signed them, countersigned.
 *
 * @param server_keys the signed key responses
 */
public record KeyQueryResponse(List<ObjectNode> server_keys) {
    public KeyQueryResponse {
        server_keys = List.copyOf(server_keys);
    }
}
