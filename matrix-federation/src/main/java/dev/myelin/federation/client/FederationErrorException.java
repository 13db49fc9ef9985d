package dev.myelin.federation.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.endpoint.EndpointJson;

/**
 * Another server answered a federation request with an error status. The {@code errcode} and
 * {@code error} are the ones it sent ({@code M_UNKNOWN} and the status when the body was not a
 * Matrix error).
 */
public final class FederationErrorException extends RuntimeException {
    private final ServerName destination;
    private final int status;
    private final String errcode;
    private final String error;

    /** Creates the exception. */
    public FederationErrorException(ServerName destination, int status, String errcode, String error) {
        super(destination + " answered " + status + " " + errcode + ": " + error);
        this.destination = destination;
        this.status = status;
        this.errcode = errcode;
        this.error = error;
    }

    /** The exception for an error answer, reading its Matrix error body when it has one. */
    static FederationErrorException of(ServerName destination, OutboundResponse response) {
        String errcode = "M_UNKNOWN";
        String error = "HTTP " + response.status();
        try {
            JsonNode body = EndpointJson.fromBytes(response.body(), JsonNode.class);
            if (body.path("errcode").isTextual()) {
                errcode = body.get("errcode").textValue();
            }
            if (body.path("error").isTextual()) {
                error = body.get("error").textValue();
            }
        } catch (RuntimeException e) {
            // not JSON: the status says it
        }
        return new FederationErrorException(destination, response.status(), errcode, error);
    }

    /** The server that answered. */
    public ServerName destination() {
        return destination;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The Matrix error code. */
    public String errcode() {
        return errcode;
    }

    /** The error message it sent. */
    public String error() {
        return error;
    }
}
