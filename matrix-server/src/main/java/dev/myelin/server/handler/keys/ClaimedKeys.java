package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The answer of {@code POST /keys/claim}. A claimed key is a string or a signed key object, served
 * as uploaded, so it stays JSON.
 *
 * @param oneTimeKeys the claimed keys by user id, device id and {@code <algorithm>:<key id>}
 * @param failures why the users of some servers are missing, by server name
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysclaim">spec</a>
 */
public record ClaimedKeys(
        Map<String, Map<String, Map<String, JsonNode>>> oneTimeKeys, Map<String, KeyFailure> failures) {}
