package dev.myelin.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.server.api.admin.SharedSecretRegisterEndpoints;
import dev.myelin.server.config.ConfigException;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.config.ListenerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code register-user}: creates an account on a running homeserver through its shared-secret
 * registration endpoint, reached at the first listener of the config (a wildcard bind address
 * is reached over loopback).
 */
final class RegisterUser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The homeserver could not be reached or refused the account; exit code 1. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    private final HttpClient http;

    RegisterUser(HttpClient http) {
        this.http = http;
    }

    /**
     * Creates the account and returns its user id.
     *
     * @param configFiles the names of the files the config was read from, for messages
     */
    String register(HomeserverConfig config, String configFiles, String user, String password, boolean admin) {
        String secret = config.registrationSharedSecret()
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> new ConfigException(configFiles
                        + ": 'registration_shared_secret' is not set, so register-user cannot create accounts"));
        URI endpoint = baseUri(config).resolve(SharedSecretRegisterEndpoints.PATH);
        JsonNode nonce =
                send(HttpRequest.newBuilder(endpoint).timeout(TIMEOUT).GET().build(), endpoint);
        String nonceValue = nonce.path("nonce").asText("");
        if (nonceValue.isEmpty()) {
            throw new Failure("the server at " + endpoint + " gave no registration nonce");
        }
        ObjectNode body = JSON.createObjectNode()
                .put("nonce", nonceValue)
                .put("username", user)
                .put("password", password)
                .put("admin", admin)
                .put("mac", SharedSecretRegisterEndpoints.mac(secret, nonceValue, user, password, admin));
        JsonNode created = send(
                HttpRequest.newBuilder(endpoint)
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                endpoint);
        return created.path("user_id").asText(user);
    }

    private JsonNode send(HttpRequest request, URI endpoint) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure("cannot reach the homeserver at " + endpoint + " (is it running?): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while talking to " + endpoint);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.createObjectNode();
        }
        if (response.statusCode() != 200) {
            throw new Failure("the homeserver refused: HTTP " + response.statusCode() + " "
                    + json.path("errcode").asText("") + " " + json.path("error").asText(response.body()));
        }
        return json;
    }

    /** Where the first listener is reachable from this machine. */
    static URI baseUri(HomeserverConfig config) {
        if (config.listeners().isEmpty()
                || config.listeners().getFirst().bindAddresses().isEmpty()) {
            throw new ConfigException("the config has no listener to send the registration to");
        }
        ListenerConfig listener = config.listeners().getFirst();
        String address = listener.bindAddresses().getFirst();
        if (address.equals("0.0.0.0") || address.isEmpty()) {
            address = "127.0.0.1";
        } else if (address.equals("::") || address.equals("::0")) {
            address = "::1";
        }
        return URI.create(
                (listener.tls() ? "https://" : "http://") + ServerRunner.hostPort(address, listener.port()) + "/");
    }
}
