package dev.myelin.http.endpoint;

/**
 * The body type of a request or response that has no JSON body: a {@code GET} or {@code DELETE}
 * request, or a response that is not JSON (media downloads).
 */
public enum NoBody {
    /** The only value. */
    INSTANCE
}
