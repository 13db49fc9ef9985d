package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The answer of {@code POST /keys/query}. The keys are signed JSON, served as stored with the
 * signatures the requester may see merged in, so they stay JSON objects.
 *
 * @param deviceKeys device keys by user id and device id
 * @param failures why the users of some servers are missing, by server name
 * @param masterKeys master keys by user id
 * @param selfSigningKeys self-signing keys by user id
 * @param userSigningKeys the requester's own user-signing key, by user id
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysquery">spec</a>
 */
public record KeysQueryResult(
        Map<String, Map<String, ObjectNode>> deviceKeys,
        Map<String, KeyFailure> failures,
        Map<String, ObjectNode> masterKeys,
        Map<String, ObjectNode> selfSigningKeys,
        Map<String, ObjectNode> userSigningKeys) {}
