package dev.myelin.core.push;

/**
 * A push rule, condition or action a client sent is malformed. The HTTP layer answers it with a
 * 400 error; rules read back from storage are parsed leniently and never throw this.
 */
public final class InvalidPushRuleException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public InvalidPushRuleException(String message) {
        super(message);
    }
}
