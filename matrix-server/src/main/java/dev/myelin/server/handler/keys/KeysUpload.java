package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /keys/upload}. Device keys and signed one-time and fallback keys are
 * signed JSON: they stay JSON objects, checked and stored exactly as sent, because re-serialising
 * them through records could change what was signed.
 *
 * @param deviceKeys the device's identity keys, signed by its ed25519 key
 * @param oneTimeKeys new one-time keys by {@code <algorithm>:<key id>}
 * @param fallbackKeys new fallback keys by {@code <algorithm>:<key id>}, at most one per algorithm
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysupload">spec</a>
 */
public record KeysUpload(
        @Nullable ObjectNode deviceKeys,
        @Nullable ObjectNode oneTimeKeys,
        @Nullable ObjectNode fallbackKeys) {}
