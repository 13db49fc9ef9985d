package dev.myelin.server.handler.search;

import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.search.SearchRequest.GroupKey;
import dev.myelin.server.handler.search.SearchRequest.Order;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a search continues: for {@code rank} order, how many matches were read already
 * ({@code position}); for {@code recent} order, the {@code origin_server_ts} ({@code position}) and
 * stream ordering ({@code stream}) of the last match read. A batch handed out
 * in a group of the response also names the group, so that continuing from it stays in the group,
 * as the spec's pagination section says. Its token is opaque to clients (unpadded base64url of
 * {@code order:position:stream[:group key:group value]}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#pagination-1">Search pagination</a>
 */
public record SearchBatch(
        Order order, long position, long stream, Optional<GroupKey> groupKey, Optional<String> groupValue) {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** This batch restricted to one group. */
    public SearchBatch inGroup(GroupKey key, String value) {
        return new SearchBatch(order, position, stream, Optional.of(key), Optional.of(value));
    }

    public String encode() {
        String plain = order.value() + ":" + position + ":" + stream
                + groupKey.map(k -> ":" + k.value() + ":" + groupValue.orElseThrow())
                        .orElse("");
        return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a {@code next_batch} token; anything this server did not hand out is 400 {@code M_INVALID_PARAM}. */
    public static SearchBatch decode(String token) {
        String plain;
        try {
            plain = new String(DECODER.decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String[] parts = plain.split(":", 5);
        if (parts.length != 3 && parts.length != 5) {
            throw invalid();
        }
        Order order = switch (parts[0]) {
            case "rank" -> Order.RANK;
            case "recent" -> Order.RECENT;
            default -> throw invalid();
        };
        long position;
        long stream;
        try {
            position = Long.parseLong(parts[1]);
            stream = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw invalid();
        }
        if (order == Order.RANK && position < 0) {
            throw invalid();
        }
        if (parts.length == 3) {
            return new SearchBatch(order, position, stream, Optional.empty(), Optional.empty());
        }
        GroupKey key = switch (parts[3]) {
            case "room_id" -> GroupKey.ROOM_ID;
            case "sender" -> GroupKey.SENDER;
            default -> throw invalid();
        };
        String value = parts[4];
        boolean wellFormed = key == GroupKey.ROOM_ID ? value.startsWith("!") : value.startsWith("@");
        if (!wellFormed || value.length() < 3) {
            throw invalid();
        }
        return new SearchBatch(order, position, stream, Optional.of(key), Optional.of(value));
    }

    private static MatrixException invalid() {
        return MatrixException.invalidParam("next_batch", "not a token this server handed out");
    }
}
