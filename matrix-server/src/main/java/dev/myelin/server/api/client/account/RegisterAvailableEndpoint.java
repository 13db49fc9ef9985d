package dev.myelin.server.api.client.account;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.appservice.AppServices;

/**
 * {@code GET /_matrix/client/v3/register/available?username=...}: whether a username can be
 * registered.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3registeravailable">spec</a>
 */
public final class RegisterAvailableEndpoint extends JsonEndpoint<NoBody, RegisterAvailableEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = EndpointSpec.get(
                    "/_matrix/client/v3/register/available", Response.class)
            .noAuth()
            .rateLimited("registration");

    /** Always true: a taken or invalid name is an error instead. */
    public record Response(boolean available) {}

    private final AccountHandler accounts;
    private final AppServices appServices;

    public RegisterAvailableEndpoint(AccountHandler accounts, AppServices appServices) {
        super(SPEC);
        this.accounts = accounts;
        this.appServices = appServices;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        UserId user = accounts.validateNewUsername(request.requireQueryParam("username"));
        if (appServices.exclusiveOwnerOfUser(user).isPresent()) {
            throw new MatrixException(400, ErrorCode.EXCLUSIVE, "This user ID is reserved by an application service");
        }
        if (!accounts.isAvailable(user)) {
            throw new MatrixException(400, ErrorCode.USER_IN_USE, "User ID already taken");
        }
        return new Response(true);
    }
}
