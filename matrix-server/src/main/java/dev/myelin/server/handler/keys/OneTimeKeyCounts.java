package dev.myelin.server.handler.keys;

import java.util.Map;

/**
 * The answer of {@code POST /keys/upload}: the device's unclaimed one-time keys per algorithm.
 *
 * @param oneTimeKeyCounts the counts; {@code signed_curve25519} is always present
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysupload">spec</a>
 */
public record OneTimeKeyCounts(Map<String, Integer> oneTimeKeyCounts) {}
