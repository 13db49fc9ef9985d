package dev.myelin.server.api.client.threepid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.threepid.ValidationPurpose;

/**
 * {@code POST /_matrix/client/v3/{register,account/password,account/3pid}/msisdn/requestToken}: this
 * server sends no SMS, so each answers 400 as Synapse does without an SMS provider ({@code
 * M_THREEPID_MEDIUM_NOT_SUPPORTED} for adding a number, as the spec names it).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3account3pidmsisdnrequesttoken">spec</a>
 */
public final class MsisdnRequestTokenEndpoint extends JsonEndpoint<ObjectNode, ObjectNode> {
    private final ValidationPurpose purpose;

    public MsisdnRequestTokenEndpoint(ValidationPurpose purpose) {
        super(EndpointSpec.post(
                        switch (purpose) {
                            case REGISTRATION -> "/_matrix/client/v3/register/msisdn/requestToken";
                            case PASSWORD_RESET -> "/_matrix/client/v3/account/password/msisdn/requestToken";
                            case ADD_THREEPID -> "/_matrix/client/v3/account/3pid/msisdn/requestToken";
                        },
                        ObjectNode.class,
                        ObjectNode.class)
                .noAuth());
        this.purpose = purpose;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
        throw switch (purpose) {
            case REGISTRATION ->
                new MatrixException(
                        400, ErrorCode.UNKNOWN, "Registration by phone number is not supported on this homeserver");
            case PASSWORD_RESET ->
                new MatrixException(
                        400, ErrorCode.UNKNOWN, "Password reset by phone number is not supported on this homeserver");
            case ADD_THREEPID ->
                new MatrixException(
                        400,
                        ErrorCode.THREEPID_MEDIUM_NOT_SUPPORTED,
                        "Adding phone numbers to user account is not supported by this homeserver");
        };
    }
}
