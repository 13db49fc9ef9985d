package dev.myelin.server.api.client.backup;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.backup.KeyBackupData;
import dev.myelin.server.handler.backup.KeyBackupHandler;
import dev.myelin.server.handler.backup.KeySelection;
import dev.myelin.server.handler.backup.RoomKeyBackup;
import dev.myelin.server.handler.backup.RoomKeys;
import dev.myelin.server.handler.backup.RoomKeysBackup;
import dev.myelin.server.handler.backup.RoomKeysCount;

/**
 * {@code PUT /_matrix/client/v3/room_keys/keys[/{roomId}[/{sessionId}]]?version=}: stores keys in
 * the newest backup version, each replacing a stored key of its session only when it is better;
 * answers the version's {@code etag} and {@code count}. An older version is 403 {@code
 * M_WRONG_ROOM_KEYS_VERSION} with {@code current_version}. The body is shaped for its level
 * ({@code {rooms}}, {@code {sessions}} or one key) and checked as a whole before anything is stored.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeys">all keys</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeysroomid">a room's</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeysroomidsessionid">a session's</a>
 */
public final class PutRoomKeysEndpoint extends JsonEndpoint<RoomKeys, RoomKeysCount> {
    /** The definition of storing keys of any rooms, shared with clients. */
    public static final EndpointSpec<RoomKeysBackup, RoomKeysCount> ALL_SPEC =
            EndpointSpec.put(RoomKeysLevel.ALL.path(), RoomKeysBackup.class, RoomKeysCount.class);
    /** The definition of storing one room's keys, shared with clients. */
    public static final EndpointSpec<RoomKeyBackup, RoomKeysCount> ROOM_SPEC =
            EndpointSpec.put(RoomKeysLevel.ROOM.path(), RoomKeyBackup.class, RoomKeysCount.class);
    /** The definition of storing one session's key, shared with clients. */
    public static final EndpointSpec<KeyBackupData, RoomKeysCount> SESSION_SPEC =
            EndpointSpec.put(RoomKeysLevel.SESSION.path(), KeyBackupData.class, RoomKeysCount.class);

    private final KeyBackupHandler backups;
    private final RoomKeysLevel level;

    public PutRoomKeysEndpoint(KeyBackupHandler backups, RoomKeysLevel level) {
        super(spec(level));
        this.backups = backups;
        this.level = level;
    }

    /** The definition at one level, its body typed as any level's. */
    @SuppressWarnings("unchecked") // each level's body is a RoomKeys, bound by the level's own record type
    public static EndpointSpec<RoomKeys, RoomKeysCount> spec(RoomKeysLevel level) {
        EndpointSpec<? extends RoomKeys, RoomKeysCount> spec = switch (level) {
            case ALL -> ALL_SPEC;
            case ROOM -> ROOM_SPEC;
            case SESSION -> SESSION_SPEC;
        };
        return (EndpointSpec<RoomKeys, RoomKeysCount>) spec;
    }

    @Override
    protected RoomKeysCount handle(MatrixRequest request, RoomKeys body) {
        var user = request.requireRequester().userId();
        String version = request.requireQueryParam("version");
        KeySelection selection = level.selection(request);
        RoomKeysBackup keys = switch (body) {
            case RoomKeysBackup all -> all;
            case RoomKeyBackup room -> RoomKeysBackup.of(selection.room().orElseThrow(), room);
            case KeyBackupData key ->
                RoomKeysBackup.of(
                        selection.room().orElseThrow(), selection.session().orElseThrow(), key);
        };
        return backups.putKeys(user, version, keys);
    }
}
