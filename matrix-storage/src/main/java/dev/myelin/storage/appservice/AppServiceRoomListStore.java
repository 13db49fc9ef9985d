package dev.myelin.storage.appservice;

import static dev.myelin.storage.schema.Tables.APPSERVICE_ROOM_LIST;

import dev.myelin.storage.Database;
import java.util.List;

/**
 * The rooms application services published in their own lists of the room directory, one list
 * per service and third-party network (table {@code appservice_room_list}). A room may be in
 * several such lists and in the main list (the room's own published flag) independently.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#room-directories">Room directories</a>
 */
public final class AppServiceRoomListStore {
    private final Database db;

    public AppServiceRoomListStore(Database db) {
        this.db = db;
    }

    /** One list: a service's rooms on one of its networks. */
    public record Network(String appServiceId, String networkId) {}

    /** Publishes {@code roomId} in {@code network}'s list; publishing it twice changes nothing. */
    public void add(Network network, String roomId) {
        db.write(tx -> tx.dsl()
                .insertInto(APPSERVICE_ROOM_LIST)
                .set(APPSERVICE_ROOM_LIST.APPSERVICE_ID, network.appServiceId())
                .set(APPSERVICE_ROOM_LIST.NETWORK_ID, network.networkId())
                .set(APPSERVICE_ROOM_LIST.ROOM_ID, roomId)
                .onConflictDoNothing()
                .execute());
    }

    /** Removes {@code roomId} from {@code network}'s list, if it was there. */
    public void remove(Network network, String roomId) {
        db.write(tx -> tx.dsl()
                .deleteFrom(APPSERVICE_ROOM_LIST)
                .where(APPSERVICE_ROOM_LIST.APPSERVICE_ID.eq(network.appServiceId()))
                .and(APPSERVICE_ROOM_LIST.NETWORK_ID.eq(network.networkId()))
                .and(APPSERVICE_ROOM_LIST.ROOM_ID.eq(roomId))
                .execute());
    }

    /** The rooms in {@code network}'s list, sorted. */
    public List<String> rooms(Network network) {
        return db.read(tx -> tx.dsl()
                .select(APPSERVICE_ROOM_LIST.ROOM_ID)
                .from(APPSERVICE_ROOM_LIST)
                .where(APPSERVICE_ROOM_LIST.APPSERVICE_ID.eq(network.appServiceId()))
                .and(APPSERVICE_ROOM_LIST.NETWORK_ID.eq(network.networkId()))
                .orderBy(APPSERVICE_ROOM_LIST.ROOM_ID)
                .fetch(APPSERVICE_ROOM_LIST.ROOM_ID));
    }

    /** The rooms in any service's list, each once, sorted. */
    public List<String> allRooms() {
        return db.read(tx -> tx.dsl()
                .selectDistinct(APPSERVICE_ROOM_LIST.ROOM_ID)
                .from(APPSERVICE_ROOM_LIST)
                .orderBy(APPSERVICE_ROOM_LIST.ROOM_ID)
                .fetch(APPSERVICE_ROOM_LIST.ROOM_ID));
    }
}
