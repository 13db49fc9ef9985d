package dev.myelin.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code support} of {@code homeserver.yaml}: whom users and other servers' admins can reach about
 * this server, served as {@code /.well-known/matrix/support}. Its keys are those of that document:
 * {@code contacts} (each with a {@code role} and a {@code matrix_id} or {@code email_address}) and
 * {@code support_page}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#getwell-knownmatrixsupport">spec</a>
 */
public record SupportConfig(List<Contact> contacts, Optional<String> supportPage) {
    /** One way to reach someone responsible for the server. */
    public record Contact(String role, Optional<String> matrixId, Optional<String> emailAddress) {}

    public SupportConfig {
        contacts = List.copyOf(contacts);
    }

    static Optional<SupportConfig> read(ConfigNode node) {
        if (!node.isPresent()) {
            return Optional.empty();
        }
        node.requireObject();
        List<Contact> contacts = new ArrayList<>();
        if (node.get("contacts").isPresent()) {
            for (ConfigNode contact : node.get("contacts").list()) {
                contact.requireObject();
                Optional<String> matrixId = contact.get("matrix_id").string();
                Optional<String> email = contact.get("email_address").string();
                if (matrixId.isEmpty() && email.isEmpty()) {
                    throw contact.error("needs a matrix_id or an email_address");
                }
                contacts.add(new Contact(contact.get("role").requiredString(), matrixId, email));
            }
        }
        Optional<String> page = node.get("support_page").string();
        if (contacts.isEmpty() && page.isEmpty()) {
            throw node.error("needs contacts or a support_page");
        }
        return Optional.of(new SupportConfig(contacts, page));
    }
}
