package dev.myelin.core.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.push.Glob;
import java.util.ArrayList;
import java.util.List;

/**
 * A room's server access control list, the content of its {@code m.room.server_acl} state event:
 * which servers may take part in the room at the federation level. Applied in the spec's order: an
 * IP literal is denied when {@code allow_ip_literals} is {@code false}; then a match in {@code deny}
 * denies, a match in {@code allow} allows, and anything else is denied. Patterns are
 * case-insensitive globs ({@code *} any run of characters, {@code ?} one character) matched against
 * the server name without its port.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomserver_acl">m.room.server_acl</a>
 */
public final class ServerAcl {
    private final boolean allowIpLiterals;
    private final List<Glob> allow;
    private final List<Glob> deny;

    private ServerAcl(boolean allowIpLiterals, List<Glob> allow, List<Glob> deny) {
        this.allowIpLiterals = allowIpLiterals;
        this.allow = List.copyOf(allow);
        this.deny = List.copyOf(deny);
    }

    /**
     * The ACL an event's {@code content} sets. Missing or malformed fields take the spec's defaults
     * (IP literals allowed, nothing allowed, nothing denied); entries that are not strings are skipped.
     */
    public static ServerAcl fromContent(JsonNode content) {
        JsonNode literals = content.path("allow_ip_literals");
        boolean allowLiterals = !literals.isBoolean() || literals.booleanValue();
        return new ServerAcl(allowLiterals, patterns(content.path("allow")), patterns(content.path("deny")));
    }

    /** Whether {@code server} may take part in the room. */
    public boolean allows(ServerName server) {
        String host = server.host();
        if (server.isIpLiteral() && !allowIpLiterals) {
            return false;
        }
        for (Glob p : deny) {
            if (p.matchesWhole(host)) {
                return false;
            }
        }
        for (Glob p : allow) {
            if (p.matchesWhole(host)) {
                return true;
            }
        }
        return false;
    }

    private static List<Glob> patterns(JsonNode list) {
        List<Glob> out = new ArrayList<>();
        if (!list.isArray()) {
            return out;
        }
        for (JsonNode entry : list) {
            if (entry.isTextual()) {
                out.add(Glob.compile(entry.asText()));
            }
        }
        return out;
    }
}
