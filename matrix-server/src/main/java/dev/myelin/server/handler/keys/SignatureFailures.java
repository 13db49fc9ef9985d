package dev.myelin.server.handler.keys;

import java.util.Map;

/**
 * The answer of {@code POST /keys/signatures/upload}: the signatures that were refused.
 *
 * @param failures the Matrix error of each refused signed key, by user id and key id
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keyssignaturesupload">spec</a>
 */
public record SignatureFailures(Map<String, Map<String, Failure>> failures) {

    /**
     * Why one signed key was refused.
     *
     * @param errcode the Matrix error code
     * @param error the message
     */
    public record Failure(String errcode, String error) {}
}
