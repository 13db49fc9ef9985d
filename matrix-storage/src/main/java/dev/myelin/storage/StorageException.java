package dev.myelin.storage;

/** Something went wrong talking to the database, or the database is not in a usable state. Unchecked. */
public class StorageException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message what went wrong
     */
    public StorageException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     * @param cause the database's own report
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
