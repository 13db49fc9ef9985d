package dev.myelin.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpTester;

/** Sends raw HTTP through a server's in-memory connector and parses the answer. */
final class LocalHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;

    LocalHttp(HttpServer server) {
        this.server = server;
    }

    /** A response: status, headers and body. */
    record Reply(int status, HttpTester.Response raw) {
        String header(String name) {
            return raw.get(name);
        }

        String body() {
            return raw.getContent();
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.getContent());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + raw.getContent(), e);
            }
        }
    }

    Reply send(String method, String target, String... headerLines) {
        return sendBody(method, target, null, headerLines);
    }

    Reply sendBody(String method, String target, String body, String... headerLines) {
        StringBuilder req = new StringBuilder();
        req.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        if (body != null) {
            req.append("Content-Length: ")
                    .append(body.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n");
        }
        req.append("\r\n");
        if (body != null) {
            req.append(body);
        }
        String raw = server.localRequest(req.toString());
        HttpTester.Response response =
                method.equals("HEAD") ? HttpTester.parseHeadResponse(raw) : HttpTester.parseResponse(raw);
        if (response == null) {
            throw new AssertionError("no response to " + method + " " + target + ": " + raw);
        }
        return new Reply(response.getStatus(), response);
    }

    /** The raw response text, for checking exactly what was (not) sent. */
    String raw(String method, String target) {
        return server.localRequest(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
