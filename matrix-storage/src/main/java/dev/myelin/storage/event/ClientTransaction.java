package dev.myelin.storage.event;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One client transaction: a request a client may retry under the same transaction id, which the
 * server must then answer with what the first attempt did instead of acting again. Written by
 * {@link ClientTransactionStore} in the same database transaction as what it produced.
 *
 * @param key    what the transaction is deduplicated under: a hash of its scope, endpoint and id
 * @param user   the sender
 * @param device the sender's device; absent for device-less tokens (application services)
 * @param txnId  the client's transaction id, as served back in {@code unsigned.transaction_id}
 * @param atMs   when the transaction arrived, on the server's clock
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#transaction-identifiers">Transaction identifiers</a>
 */
public record ClientTransaction(String key, UserId user, Optional<DeviceId> device, String txnId, long atMs) {

    public ClientTransaction {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(txnId, "txnId");
    }

    /**
     * The transaction {@code txnId} of {@code scope} (the device, or the access token of a
     * device-less request) at {@code endpoint}. The key is a SHA-256 of the three, so the token of
     * a device-less request is never stored in clear and a key of any length fits an index.
     */
    public static ClientTransaction of(
            String scope, String endpoint, String txnId, UserId user, Optional<DeviceId> device, long atMs) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        // lengths first, so that no two different triples hash the same text
        String text = scope.length() + ":" + scope + endpoint.length() + ":" + endpoint + txnId;
        String key = HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        return new ClientTransaction(key, user, device, txnId, atMs);
    }
}
