package dev.myelin.storage;

/** Something went wrong talking to the database, or the database is not in a usable state. Unchecked. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
