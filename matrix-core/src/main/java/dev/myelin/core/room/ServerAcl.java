package dev.myelin.core.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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
    private final List<Pattern> allow;
    private final List<Pattern> deny;

    private ServerAcl(boolean allowIpLiterals, List<Pattern> allow, List<Pattern> deny) {
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
        String host = server.host().toLowerCase(Locale.ROOT);
        if (server.isIpLiteral() && !allowIpLiterals) {
            return false;
        }
        for (Pattern p : deny) {
            if (p.matcher(host).matches()) {
                return false;
            }
        }
        for (Pattern p : allow) {
            if (p.matcher(host).matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> patterns(JsonNode list) {
        List<Pattern> out = new ArrayList<>();
        if (!list.isArray()) {
            return out;
        }
        for (JsonNode entry : list) {
            if (entry.isTextual()) {
                out.add(glob(entry.asText()));
            }
        }
        return out;
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
