package dev.myelin.server.migrate;

/** The import cannot start or go on: the message says why, for the admin running the command. */
public final class ImportException extends RuntimeException {
    private final int exitCode;

    public ImportException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** 1 for a runtime failure, 3 for a configuration or schema that is refused. */
    public int exitCode() {
        return exitCode;
    }
}
