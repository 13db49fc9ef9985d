package dev.myelin.server.api.client.backup;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.backup.KeyBackupData;
import dev.myelin.server.handler.backup.KeyBackupHandler;
import dev.myelin.server.handler.backup.KeySelection;
import dev.myelin.server.handler.backup.RoomKeyBackup;
import dev.myelin.server.handler.backup.RoomKeys;
import dev.myelin.server.handler.backup.RoomKeysBackup;

/**
 * {@code GET /_matrix/client/v3/room_keys/keys[/{roomId}[/{sessionId}]]?version=}: the backed-up
 * keys of a version: {@code {rooms}}, {@code {sessions}} or one key (404 when absent).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3room_keyskeys">all keys</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3room_keyskeysroomid">a room's</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3room_keyskeysroomidsessionid">a session's</a>
 */
public final class GetRoomKeysEndpoint extends JsonEndpoint<NoBody, RoomKeys> {
    /** The definition of reading every key, shared with clients. */
    public static final EndpointSpec<NoBody, RoomKeysBackup> ALL_SPEC =
            EndpointSpec.get(RoomKeysLevel.ALL.path(), RoomKeysBackup.class);
    /** The definition of reading one room's keys, shared with clients. */
    public static final EndpointSpec<NoBody, RoomKeyBackup> ROOM_SPEC =
            EndpointSpec.get(RoomKeysLevel.ROOM.path(), RoomKeyBackup.class);
    /** The definition of reading one session's key, shared with clients. */
    public static final EndpointSpec<NoBody, KeyBackupData> SESSION_SPEC =
            EndpointSpec.get(RoomKeysLevel.SESSION.path(), KeyBackupData.class);

    private final KeyBackupHandler backups;
    private final RoomKeysLevel level;

    public GetRoomKeysEndpoint(KeyBackupHandler backups, RoomKeysLevel level) {
        super(spec(level));
        this.backups = backups;
        this.level = level;
    }

    /** The definition at one level, its answer typed as any level's. */
    @SuppressWarnings("unchecked") // each level's answer is a RoomKeys; the spec only reads and writes it
    public static EndpointSpec<NoBody, RoomKeys> spec(RoomKeysLevel level) {
        EndpointSpec<NoBody, ? extends RoomKeys> spec = switch (level) {
            case ALL -> ALL_SPEC;
            case ROOM -> ROOM_SPEC;
            case SESSION -> SESSION_SPEC;
        };
        return (EndpointSpec<NoBody, RoomKeys>) spec;
    }

    @Override
    protected RoomKeys handle(MatrixRequest request, NoBody body) {
        var user = request.requireRequester().userId();
        String version = request.requireQueryParam("version");
        KeySelection selection = level.selection(request);
        RoomKeysBackup keys = backups.getKeys(user, version, selection);
        return switch (level) {
            case ALL -> keys;
            case ROOM -> keys.room(selection.room().orElseThrow());
            case SESSION ->
                keys.session(selection.room().orElseThrow(), selection.session().orElseThrow())
                        .orElseThrow(() -> MatrixException.notFound("Key not found"));
        };
    }
}
