package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.server.handler.auth.AuthenticationData;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /keys/device_signing/upload}. The keys are signed JSON, checked and stored
 * exactly as sent (re-serialising them could change what was signed), so they stay JSON objects;
 * {@code auth} is the user-interactive auth dictionary, whose fields depend on its stage.
 *
 * @param masterKey the new master key
 * @param selfSigningKey the new self-signing key, signed by the master key
 * @param userSigningKey the new user-signing key, signed by the master key
 * @param auth the user-interactive auth stage, when replacing keys
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysdevice_signingupload">spec</a>
 */
public record CrossSigningUpload(
        @Nullable ObjectNode masterKey,
        @Nullable ObjectNode selfSigningKey,
        @Nullable ObjectNode userSigningKey,
        @Nullable AuthenticationData auth) {}
