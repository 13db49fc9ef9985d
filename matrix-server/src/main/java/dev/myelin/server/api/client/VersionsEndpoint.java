package dev.myelin.server.api.client;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /_matrix/client/versions}: the spec versions and unstable features we serve.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientversions">spec</a>
 */
public final class VersionsEndpoint extends JsonEndpoint<NoBody, VersionsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/versions", Response.class).optionalAuth();

    /**
     * Client-Server API versions whose required behaviour this server implements. The r0 releases
     * before r0.6.1 are listed as Synapse lists them: each was compatible with the next, and older
     * clients look for the one they were written against.
     */
    public static final List<String> VERSIONS = List.of(
            "r0.0.1", "r0.1.0", "r0.2.0", "r0.3.0", "r0.4.0", "r0.5.0", "r0.6.0", "r0.6.1", "v1.1", "v1.2", "v1.3",
            "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11");

    /**
     * Unstable features clients probe for, with whether they are on: features of spec versions
     * later than those listed that this server serves at their stable paths, named as clients look
     * for them (room summaries, MSC3266; custom profile fields, MSC4133), simplified sliding sync
     * (MSC4186) under the flag Synapse advertises it with, and the flags that clients written
     * before a feature reached the spec still check before using its stable form (cross-signing,
     * private and threaded receipts, threads, public room type filters, recursive relations,
     * appservice ping), all of which this server serves.
     */
    static final Map<String, Boolean> UNSTABLE_FEATURES = Map.ofEntries(
            Map.entry("org.matrix.msc3266", true),
            Map.entry("uk.tcpip.msc4133.stable", true),
            Map.entry("org.matrix.simplified_msc3575", true),
            Map.entry("org.matrix.e2e_cross_signing", true),
            Map.entry("org.matrix.msc2285.stable", true),
            Map.entry("org.matrix.msc3440.stable", true),
            Map.entry("org.matrix.msc3771", true),
            Map.entry("org.matrix.msc3827.stable", true),
            Map.entry("org.matrix.msc3981", true),
            Map.entry("fi.mau.msc2659.stable", true));

    /** The versions and unstable features served. */
    public record Response(List<String> versions, Map<String, Boolean> unstableFeatures) {}

    public VersionsEndpoint() {
        super(SPEC);
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response(VERSIONS, UNSTABLE_FEATURES);
    }
}
