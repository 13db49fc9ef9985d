package dev.myelin.server.handler.keys;

/**
 * Why the keys of another server's users could not be fetched, as listed under {@code failures} by
 * {@code /keys/query} and {@code /keys/claim}.
 *
 * @param status the HTTP status the server answered, or 503 when it could not be reached
 * @param message what went wrong
 */
public record KeyFailure(int status, String message) {}
