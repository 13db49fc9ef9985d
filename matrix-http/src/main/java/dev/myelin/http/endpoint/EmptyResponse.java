package dev.myelin.http.endpoint;

/** The response body {@code {}}, which many Matrix endpoints answer on success. */
public record EmptyResponse() {
    /** The one value. */
    public static final EmptyResponse INSTANCE = new EmptyResponse();
}
