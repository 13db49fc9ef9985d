package dev.myelin.federation.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
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
    private final JsonNode body;

    /** Creates the exception. */
    public FederationErrorException(ServerName destination, int status, String errcode, String error) {
        this(destination, status, errcode, error, MissingNode.getInstance());
    }

    /** Creates the exception, with the error body as sent (for its fields besides errcode and error). */
    public FederationErrorException(ServerName destination, int status, String errcode, String error, JsonNode body) {
        super(destination + " answered " + status + " " + errcode + ": " + error);
        this.destination = destination;
        this.status = status;
        this.errcode = errcode;
        this.error = error;
        this.body = body;
    }

    /** The exception for an error answer, reading its Matrix error body when it has one. */
    static FederationErrorException of(ServerName destination, OutboundResponse response) {
        String errcode = "M_UNKNOWN";
        String error = "HTTP " + response.status();
        JsonNode body = MissingNode.getInstance();
        try {
            body = EndpointJson.fromBytes(response.body(), JsonNode.class);
            if (body.path("errcode").isTextual()) {
                errcode = body.get("errcode").textValue();
            }
            if (body.path("error").isTextual()) {
                error = body.get("error").textValue();
            }
        } catch (RuntimeException e) {
            // not JSON: the status says it
        }
        return new FederationErrorException(destination, response.status(), errcode, error, body);
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

    /**
     * The error body as sent, for fields an error code defines besides {@code errcode} and {@code
     * error} ({@code room_version} of {@code M_INCOMPATIBLE_ROOM_VERSION}); a missing node when the
     * body was not JSON.
     */
    public JsonNode body() {
        return body;
    }
}
