package dev.myelin.server.handler.directory;

import dev.myelin.core.id.RoomAlias;

/** Where other servers' room aliases are resolved: their server, asked over federation. */
@FunctionalInterface
public interface RemoteAliases {

    /**
     * The room {@code alias}, an alias of another server, names.
     *
     * @throws dev.myelin.http.error.MatrixException 404 {@code M_NOT_FOUND} when that server has
     *     no such alias, 502 when it cannot be asked or answers otherwise
     */
    RoomDirectoryHandler.Resolved resolve(RoomAlias alias);
}
