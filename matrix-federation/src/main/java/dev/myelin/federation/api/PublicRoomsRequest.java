package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /publicRooms} over federation.
 *
 * @param limit the most rooms to return (0 or absent: the server's page size)
 * @param since a {@code next_batch} or {@code prev_batch} of an earlier page
 * @param filter {@code generic_search_term} and {@code room_types}; kept as JSON so a bad filter
 *     is refused by the directory like a client's
 * @param includeAllNetworks whether rooms of every third-party network are wanted
 * @param thirdPartyInstanceId the one third-party network wanted
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#post_matrixfederationv1publicrooms">spec</a>
 */
public record PublicRoomsRequest(
        @Nullable Long limit,
        @Nullable String since,
        @Nullable JsonNode filter,
        @Nullable Boolean includeAllNetworks,
        @Nullable String thirdPartyInstanceId) {}
