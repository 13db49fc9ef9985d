package dev.myelin.server.handler.profile;

import dev.myelin.core.id.ServerName;
import java.util.regex.Pattern;

/**
 * A content URI, {@code mxc://<server-name>/<media-id>}: the only form an avatar URL may take.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#matrix-content-mxc-uris">Matrix Content (mxc://) URIs</a>
 */
public record MxcUri(ServerName server, String mediaId) {
    private static final String SCHEME = "mxc://";
    private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9_-]+");

    public MxcUri {
        if (!MEDIA_ID.matcher(mediaId).matches()) {
            throw new IllegalArgumentException("media id may only contain A-Z, a-z, 0-9, '_' and '-'");
        }
    }

    /** Parses {@code value}; {@link IllegalArgumentException} saying what is wrong otherwise. */
    public static MxcUri parse(String value) {
        if (!value.startsWith(SCHEME)) {
            throw new IllegalArgumentException("must start with mxc://");
        }
        String rest = value.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("must be mxc://<server-name>/<media-id>");
        }
        ServerName server;
        try {
            server = ServerName.parse(rest.substring(0, slash));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid server name: " + e.getMessage(), e);
        }
        return new MxcUri(server, rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return SCHEME + server.value() + "/" + mediaId;
    }
}
