package dev.myelin.server.cli;

/** Wrong command-line arguments; the message says what to change. Exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
