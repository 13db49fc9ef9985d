package dev.myelin.http.server;

import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers errors Jetty produces itself (malformed requests, oversized headers, bad URIs) with a
 * Matrix error body instead of an HTML page. Never includes a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /**
     * Every method gets the Matrix error body: Jetty by default writes one only for GET, POST and
     * HEAD, so a PUT or DELETE it rejected (an ambiguous empty path segment, say) got an empty 400.
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        AccessLog.recordRejected(request.getMethod(), rawPath(request), code);
        byte[] body = body(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(new HttpField(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*"));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The path as sent, without the query (which may hold an access token). */
    private static String rawPath(Request request) {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        return path == null || path.isEmpty() ? "-" : path;
    }

    private static byte[] body(int code) {
        int status = code >= 400 && code <= 599 ? code : 500;
        ErrorCode errcode = switch (status) {
            case 404, 405 -> ErrorCode.UNRECOGNIZED;
            case 413, 414, 431 -> ErrorCode.TOO_LARGE;
            default -> ErrorCode.UNKNOWN;
        };
        String message = status >= 500 ? "Internal server error" : "Bad request";
        return new MatrixException(status, errcode, message).toJson().toString().getBytes(StandardCharsets.UTF_8);
    }
}
