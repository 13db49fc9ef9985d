package dev.myelin.core.id;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Matrix content URI, {@code mxc://<server-name>/<media-id>}: where a piece of media lives. The
 * media id is 1 to 255 characters of {@code A-Z a-z 0-9 _ -}, the grammar the spec makes servers
 * enforce, so an id can never name a path outside a media store. Parsing is strict beyond the
 * server name grammar too: the scheme is lower case, a DNS host has no empty labels (so neither
 * {@code .} nor {@code ..} is a server), a port is 1 to 65535, and nothing follows the media id
 * (no further segment, query or fragment).
 *
 * @param server the server that holds the media
 * @param mediaId the media's id on that server
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#matrix-content-mxc-uris">Matrix Content (mxc://) URIs</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#security-considerations-5">content repository security considerations</a>
 */
public record MxcUri(ServerName server, String mediaId) {
    private static final String SCHEME = "mxc://";
    private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final int MAX_PORT = 65_535;

    /** Checks the media id and the server name. */
    public MxcUri {
        Objects.requireNonNull(server, "server");
        if (!isValidMediaId(mediaId)) {
            throw new InvalidIdentifierException("media ids consist of 1 to 255 characters A-Z, a-z, 0-9, '_' and '-'");
        }
        checkServer(server);
    }

    /**
     * Parses {@code value}.
     *
     * @throws InvalidIdentifierException saying what is wrong
     */
    public static MxcUri parse(String value) {
        if (value == null || !value.startsWith(SCHEME)) {
            throw new InvalidIdentifierException("must start with mxc://");
        }
        String rest = value.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new InvalidIdentifierException("must be mxc://<server-name>/<media-id>");
        }
        ServerName server;
        try {
            server = ServerName.parse(rest.substring(0, slash));
        } catch (InvalidIdentifierException e) {
            throw new InvalidIdentifierException("invalid server name: " + e.getMessage());
        }
        return new MxcUri(server, rest.substring(slash + 1));
    }

    /** Whether {@code value} is a valid media id: 1 to 255 characters {@code A-Z a-z 0-9 _ -}. */
    public static boolean isValidMediaId(String value) {
        return value != null && MEDIA_ID.matcher(value).matches();
    }

    private static void checkServer(ServerName server) {
        String host = server.host();
        if (!server.isIpLiteral() && (host.startsWith(".") || host.endsWith(".") || host.contains(".."))) {
            throw new InvalidIdentifierException(
                    "server name has an empty label: " + Grammar.abbreviate(server.value()));
        }
        if (server.port().isPresent()
                && (server.port().getAsInt() < 1 || server.port().getAsInt() > MAX_PORT)) {
            throw new InvalidIdentifierException("server name port must be 1 to " + MAX_PORT);
        }
    }

    @Override
    public String toString() {
        return SCHEME + server.value() + "/" + mediaId;
    }
}
