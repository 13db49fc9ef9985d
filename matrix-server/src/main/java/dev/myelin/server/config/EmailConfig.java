package dev.myelin.server.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code email} section of {@code homeserver.yaml}, with Synapse's keys: how the server sends
 * mail (SMTP) and whether it validates email addresses itself.
 *
 * @param smtpHost {@code smtp_host} (default {@code localhost})
 * @param smtpPort {@code smtp_port} (default 25, or 465 with {@code force_tls})
 * @param smtpUser {@code smtp_user}: authenticate when set
 * @param smtpPass {@code smtp_pass}
 * @param requireTransportSecurity {@code require_transport_security}: refuse to send unless the
 *     connection is encrypted (STARTTLS or {@code force_tls})
 * @param enableTls {@code enable_tls}: upgrade with STARTTLS when the server offers it (default true)
 * @param forceTls {@code force_tls}: TLS from the first byte (implicit TLS, port 465)
 * @param notifFrom {@code notif_from}: the sender; {@code %(app)s} is replaced with the app name
 * @param appName {@code app_name} (default {@code Matrix})
 * @param clientBaseUrl {@code client_base_url}: the web client links in mails point to
 * @param validationTokenLifetime {@code validation_token_lifetime} (default 1h)
 * @param localValidation {@code threepid_behaviour_email}: true for {@code local} (the default, the
 *     server mails and checks tokens), false for {@code off}
 */
public record EmailConfig(
        String smtpHost,
        int smtpPort,
        Optional<String> smtpUser,
        Optional<String> smtpPass,
        boolean requireTransportSecurity,
        boolean enableTls,
        boolean forceTls,
        String notifFrom,
        String appName,
        Optional<String> clientBaseUrl,
        Duration validationTokenLifetime,
        boolean localValidation) {

    private static final Set<String> KEYS = Set.of(
            "smtp_host",
            "smtp_port",
            "smtp_user",
            "smtp_pass",
            "require_transport_security",
            "enable_tls",
            "force_tls",
            "notif_from",
            "app_name",
            "client_base_url",
            "riot_base_url",
            "validation_token_lifetime",
            "threepid_behaviour_email",
            "enable_notifs",
            "notif_for_new_users",
            "notif_delay_before_mail",
            "invite_client_location",
            "subjects",
            "template_dir",
            "encryption");

    /** The section, absent when it is not there (the server then sends no mail). */
    static Optional<EmailConfig> read(ConfigNode node, Consumer<String> warnings) {
        if (!node.isPresent()) {
            return Optional.empty();
        }
        node.requireObject();
        node.unknownKeys(KEYS, key -> warnings.accept(key + " is ignored"));
        boolean forceTls = node.get("force_tls").bool(false);
        String behaviour = node.get("threepid_behaviour_email").string().orElse("local");
        if (!behaviour.equals("local") && !behaviour.equals("off")) {
            throw node.get("threepid_behaviour_email").error("must be 'local' or 'off' (not " + behaviour + ")");
        }
        String appName = node.get("app_name").string().orElse("Matrix");
        Optional<String> from = node.get("notif_from").string();
        if (from.isEmpty() && behaviour.equals("local")) {
            throw node.get("notif_from").error("is required when the email section is set");
        }
        return Optional.of(new EmailConfig(
                node.get("smtp_host").string().orElse("localhost"),
                (int) node.get("smtp_port").integer(forceTls ? 465 : 25, 1, 65535),
                node.get("smtp_user").string(),
                node.get("smtp_pass").string(),
                node.get("require_transport_security").bool(false),
                node.get("enable_tls").bool(true),
                forceTls,
                from.orElse("").replace("%(app)s", appName),
                appName,
                node.get("client_base_url")
                        .string()
                        .or(() -> node.get("riot_base_url").string()),
                DurationValue.parse(node.get("validation_token_lifetime"), Duration.ofHours(1)),
                behaviour.equals("local")));
    }
}
