package dev.myelin.server.api.client;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.config.SupportConfig;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /.well-known/matrix/support}: the server's contacts and support page from the
 * {@code support} config; 404 {@code M_NOT_FOUND} when none are configured, as the spec asks.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#getwell-knownmatrixsupport">spec</a>
 */
public final class WellKnownSupportEndpoint extends JsonEndpoint<NoBody, WellKnownSupportEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/.well-known/matrix/support", Response.class).noAuth();

    /** The support document; each part only when configured. */
    public record Response(
            @Nullable List<Contact> contacts, @Nullable String supportPage) {}

    /** One contact. */
    public record Contact(
            String role,
            @Nullable String matrixId,
            @Nullable String emailAddress) {}

    private final Optional<Response> response;

    public WellKnownSupportEndpoint(Optional<SupportConfig> support) {
        super(SPEC);
        this.response = support.map(s -> new Response(
                s.contacts().isEmpty()
                        ? null
                        : s.contacts().stream()
                                .map(c -> new Contact(
                                        c.role(),
                                        c.matrixId().orElse(null),
                                        c.emailAddress().orElse(null)))
                                .toList(),
                s.supportPage().orElse(null)));
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return response.orElseThrow(() -> MatrixException.notFound("No support information is configured"));
    }
}
