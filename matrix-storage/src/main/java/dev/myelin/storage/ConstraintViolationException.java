package dev.myelin.storage;

/**
 * A write broke a uniqueness, foreign-key, not-null or check constraint of the schema: the row already
 * exists or refers to one that does not. Not retried, since running the same transaction again would break
 * it again.
 */
public class ConstraintViolationException extends StorageException {
    /**
     * Creates the exception.
     *
     * @param message what was being written
     * @param cause   the database's own report
     */
    public ConstraintViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
