package dev.myelin.replication;

/**
 * A replication message that cannot be read (or, for a command that cannot be represented, written).
 *
 * <p>Unchecked and the only exception the codec throws, so the subscriber can log and skip one bad
 * message without catching everything else too.
 */
public final class ReplicationCodecException extends RuntimeException {

    /**
     * @param message what is wrong with the input, for the log
     */
    public ReplicationCodecException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with the input, for the log
     * @param cause the parser's own exception
     */
    public ReplicationCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
