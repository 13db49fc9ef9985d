package dev.myelin.server.mail;

/**
 * One plain-text mail.
 *
 * @param from the sender, as {@code notif_from} gives it ({@code Name <addr>} or a bare address)
 * @param to the recipient's address
 * @param subject the subject line
 * @param text the body
 */
public record MailMessage(String from, String to, String subject, String text) {}
