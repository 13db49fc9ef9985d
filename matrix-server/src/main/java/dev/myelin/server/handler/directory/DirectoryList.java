package dev.myelin.server.handler.directory;

import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.appservice.AppServiceRoomListStore;
import java.util.Optional;

/**
 * Which list of the public room directory a client reads: the main one (rooms their moderators
 * published), one application service's list for one of its networks ({@code
 * third_party_instance_id}, {@code <service id>|<network id>} as the protocol's {@code
 * instance_id} says), or all of them together ({@code include_all_networks}).
 *
 * @param network the service list asked for; empty for the main list or all lists
 * @param allNetworks whether the main list and every service list are read together
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3publicrooms">spec</a>
 */
public record DirectoryList(Optional<AppServiceRoomListStore.Network> network, boolean allNetworks) {
    /** The main list. */
    public static final DirectoryList MAIN = new DirectoryList(Optional.empty(), false);

    /**
     * The list a request names; 400 {@code M_INVALID_PARAM} for an instance id without a {@code |}
     * or together with {@code include_all_networks} (which the spec forbids and Synapse refuses).
     */
    public static DirectoryList of(Optional<String> thirdPartyInstanceId, boolean includeAllNetworks) {
        if (includeAllNetworks) {
            if (thirdPartyInstanceId.isPresent()) {
                throw MatrixException.invalidParam(
                        "third_party_instance_id", "Can't use include_all_networks with an explicit network");
            }
            return new DirectoryList(Optional.empty(), true);
        }
        if (thirdPartyInstanceId.isEmpty()) {
            return MAIN;
        }
        String id = thirdPartyInstanceId.get();
        int bar = id.indexOf('|');
        if (bar < 0) {
            throw MatrixException.invalidParam("third_party_instance_id", "not <appservice id>|<network id>: " + id);
        }
        return new DirectoryList(
                Optional.of(new AppServiceRoomListStore.Network(id.substring(0, bar), id.substring(bar + 1))), false);
    }
}
