package dev.myelin.server.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the server does with third-party identifiers.
 *
 * @param email the {@code email} section, absent when the server sends no mail
 * @param registrationsRequire3pid {@code registrations_require_3pid}: the media a new account must
 *     validate an address of ({@code [email]}); empty when registration needs none
 * @param enable3pidChanges {@code enable_3pid_changes}: whether users may add and remove 3PIDs
 *     (default true)
 * @param verifyIdentityServerCertificates false with {@code
 *     use_insecure_ssl_client_just_for_testing_do_not_use}: identity servers' certificates are then
 *     not checked (a test's identity server with a self-signed certificate); every other outbound
 *     request stays verified
 */
public record ThreePidConfig(
        Optional<EmailConfig> email,
        List<String> registrationsRequire3pid,
        boolean enable3pidChanges,
        boolean verifyIdentityServerCertificates) {

    public ThreePidConfig {
        registrationsRequire3pid = List.copyOf(registrationsRequire3pid);
    }

    /** Whether the server validates email addresses itself (an email section with {@code local}). */
    public boolean emailValidation() {
        return email.map(EmailConfig::localValidation).orElse(false);
    }

    static ThreePidConfig read(ConfigNode root, Consumer<String> warnings) {
        ConfigNode required = root.get("registrations_require_3pid");
        List<String> media = required.isPresent() ? required.stringList() : List.of();
        for (String medium : media) {
            if (!medium.equals("email") && !medium.equals("msisdn")) {
                throw required.error("lists an unknown medium: " + medium);
            }
        }
        return new ThreePidConfig(
                EmailConfig.read(root.get("email"), warnings),
                media,
                root.get("enable_3pid_changes").bool(true),
                !root.get("use_insecure_ssl_client_just_for_testing_do_not_use").bool(false));
    }
}
