package dev.myelin.federation.keys;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.pdu.ServerKey;
import java.util.Optional;

/**
 * Where {@link KeyFetcher} keeps what it fetched: a database table in the server, a map in tests.
 * Calls block.
 */
public interface FetchedKeyStore {

    /** The kept key {@code keyId} of {@code server} with the time until which it may be used. */
    Optional<ServerKey> key(ServerName server, SigningKeyId keyId);

    /** Keeps a checked key response and its keys, replacing the server's earlier response. */
    void save(FetchedKeyResponse response);
}
