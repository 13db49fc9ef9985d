package dev.myelin.server.mail;

/** Sends mail. The server's is {@link SmtpMailer}; tests may record instead. */
@FunctionalInterface
public interface Mailer {
    /** Sends {@code message}, or throws {@link MailException}. */
    void send(MailMessage message);
}
