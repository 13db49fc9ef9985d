package dev.myelin.server.mail;

/** A mail could not be sent: the SMTP server refused it, or could not be reached. */
public final class MailException extends RuntimeException {
    public MailException(String message) {
        super(message);
    }

    public MailException(String message, Throwable cause) {
        super(message, cause);
    }
}
