package dev.myelin.server.api.client.threepid;

/**
 * The answer of unbinding and deleting a 3PID: {@code success} when every identity server
 * unbound it, {@code no-support} when one could not.
 *
 * @param idServerUnbindResult {@code success} or {@code no-support}
 */
public record UnbindResult(String idServerUnbindResult) {
    static UnbindResult of(boolean success) {
        return new UnbindResult(success ? "success" : "no-support");
    }
}
