package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import java.util.regex.Pattern;

/**
 * A room's {@code m.room.server_acl}: which servers may take part in the room. A server is denied
 * when its host (the server name without port) is an IP literal and {@code allow_ip_literals} is
 * false, or matches a {@code deny} glob; otherwise it is allowed only when it matches an
 * {@code allow} glob. Globs have {@code *} (any run of characters) and {@code ?} (one character)
 * and match without regard to case; entries that are not strings are ignored.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-access-control-lists-acls-for-rooms">Server ACLs</a>
 */
public final class ServerAcl {
    private ServerAcl() {}

    /** Whether the ACL with {@code content} lets {@code server} in. */
    public static boolean allows(JsonNode content, ServerName server) {
        String host = server.host();
        JsonNode ipLiterals = content.get("allow_ip_literals");
        boolean allowIpLiterals = ipLiterals == null || !ipLiterals.isBoolean() || ipLiterals.booleanValue();
        if (!allowIpLiterals && server.isIpLiteral()) {
            return false;
        }
        if (matchesAny(content.get("deny"), host)) {
            return false;
        }
        return matchesAny(content.get("allow"), host);
    }

    private static boolean matchesAny(JsonNode globs, String host) {
        if (globs == null || !globs.isArray()) {
            return false;
        }
        for (JsonNode glob : globs) {
            if (glob.isTextual() && glob(glob.textValue()).matcher(host).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
