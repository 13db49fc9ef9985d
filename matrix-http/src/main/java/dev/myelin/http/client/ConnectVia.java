package dev.myelin.http.client;

import java.util.Objects;

/**
 * The request tag that makes the {@link BlocklistingResolver} connect to {@code host} instead of
 * the request URI's host; see {@link MatrixHttpClient#send(OutboundRequest, String)}.
 *
 * @param host a DNS name or an IP literal
 */
record ConnectVia(String host) {
    ConnectVia {
        Objects.requireNonNull(host, "host");
    }
}
