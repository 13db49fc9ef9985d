package dev.myelin.server.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /_synapse/admin/v2/users}: the server's accounts for its admins, paged with {@code
 * from} and {@code limit} (default 100), filtered by {@code name} (part of the user id) and
 * {@code deactivated} (default false: only active accounts), in Synapse's shape, which admin tools
 * such as synadm read.
 */
public final class ListUsersEndpoint extends JsonEndpoint<NoBody, ListUsersEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v2/users", Response.class);

    /** A page of accounts, the total that match, and where the next page starts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(List<AdminUsers.Account> users, long total, String nextToken) {}

    private final AdminUsers admin;

    public ListUsersEndpoint(AdminUsers admin) {
        super(SPEC);
        this.admin = admin;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admin.requireAdmin(request.requireRequester());
        AdminUsers.Page page = admin.list(
                number(request, "from", 0),
                (int) Math.min(Integer.MAX_VALUE, number(request, "limit", 100)),
                request.queryParam("name")
                        .or(() -> request.queryParam("user_id"))
                        .filter(n -> !n.isEmpty()),
                flag(request, "deactivated"));
        return new Response(page.users(), page.total(), page.nextToken().orElse(null));
    }

    private static long number(MatrixRequest request, String name, long otherwise) {
        Optional<String> value = request.queryParam(name);
        if (value.isEmpty()) {
            return otherwise;
        }
        try {
            return Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name, "must be a number");
        }
    }

    private static boolean flag(MatrixRequest request, String name) {
        return switch (request.queryParam(name).orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam(name, "must be true or false");
        };
    }
}
