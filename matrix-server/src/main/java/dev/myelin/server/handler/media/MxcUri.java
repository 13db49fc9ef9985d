package dev.myelin.server.handler.media;

import dev.myelin.core.id.ServerName;

/**
 * An {@code mxc://<server-name>/<media-id>} URI.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#matrix-content-mxc-uris">Matrix Content URIs</a>
 */
public record MxcUri(ServerName server, MediaId mediaId) {
    @Override
    public String toString() {
        return "mxc://" + server + "/" + mediaId;
    }
}
