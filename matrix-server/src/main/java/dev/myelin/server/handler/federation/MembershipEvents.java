package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.UnpaddedBase64;
import dev.myelin.core.event.EventHashes;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Membership events of local users in rooms of other servers, signed here: built from the room
 * server's template ({@code make_join}, {@code make_leave}, {@code make_knock}), or, when that
 * server cannot be reached, the leave this server makes alone on top of an invite or knock it
 * holds as an outlier (seen only by this server, as Synapse rejects such invites).
 */
final class MembershipEvents {
    private static final String MEMBER = "m.room.member";

    private final ServerName self;
    private final SigningKey signingKey;
    private final Clock clock;

    MembershipEvents(ServerName self, SigningKey signingKey, Clock clock) {
        this.self = self;
        this.signingKey = signingKey;
        this.clock = clock;
    }

    /**
     * {@code user}'s {@code membership} event from {@code template}: its edges and depth (else
     * {@code defaultDepth}) kept, its content completed with {@code extra}.
     *
     * @throws IllegalArgumentException when the template is not that event of the user in the room,
     *     or cannot make an event of {@code version}
     */
    Pdu fromTemplate(
            JsonNode template,
            RoomVersion version,
            RoomId room,
            UserId user,
            String membership,
            ObjectNode extra,
            long defaultDepth) {
        String id = user.toString();
        JsonNode given = template == null ? JsonNodeFactory.instance.objectNode() : template;
        JsonNode templateMembership = given.path("content").path("membership");
        if (!MEMBER.equals(given.path("type").asText())
                || !id.equals(given.path("state_key").asText())
                || !id.equals(given.path("sender").asText())
                || !room.value().equals(given.path("room_id").asText(room.value()))
                || (!templateMembership.isMissingNode() && !membership.equals(templateMembership.asText()))) {
            throw new IllegalArgumentException(
                    "the template is not a " + membership + " event of " + user + " in " + room);
        }
        ObjectNode content = given.path("content").isObject()
                ? ((ObjectNode) given.get("content")).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        content.setAll(extra);
        content.put("membership", membership);
        Map<EventId, String> hashes = new HashMap<>();
        PduBuilder builder = PduBuilder.forVersion(version)
                .roomId(room)
                .sender(user)
                .type(MEMBER)
                .stateKey(id)
                .content(content)
                .prevEvents(edges(given.path("prev_events"), hashes))
                .authEvents(edges(given.path("auth_events"), hashes))
                .depth(Math.max(1, given.path("depth").asLong(defaultDepth)))
                .originServerTs(clock.nowMillis());
        if (!hashes.isEmpty()) {
            builder.edgeReferenceHashes(hashes);
        }
        return builder.build(self, signingKey);
    }

    /**
     * The leave of the user {@code held} names (its state key), made here alone: its prev event is
     * {@code held}, its auth events those of {@code held} and {@code held} itself.
     */
    Pdu leaveAfter(Pdu held, Optional<String> reason) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", "leave");
        reason.ifPresent(r -> content.put("reason", r));
        Map<EventId, String> hashes = new HashMap<>();
        List<EventId> auths = new ArrayList<>(edges(held.json().path("auth_events"), hashes));
        auths.add(held.eventId());
        hashes.put(held.eventId(), UnpaddedBase64.encode(EventHashes.referenceHash(held)));
        UserId user = UserId.parse(held.stateKey().orElseThrow());
        PduBuilder builder = PduBuilder.forVersion(held.version())
                .roomId(held.roomId())
                .sender(user)
                .type(MEMBER)
                .stateKey(user.toString())
                .content(content)
                .prevEvents(List.of(held.eventId()))
                .authEvents(auths)
                .depth(held.depth() + 1)
                .originServerTs(clock.nowMillis());
        if (held.version().eventFormat().eventIdInEvent()) {
            builder.edgeReferenceHashes(hashes);
        }
        return builder.build(self, signingKey);
    }

    /**
     * The event ids of a {@code prev_events} or {@code auth_events} list: plain ids, or {@code [id,
     * {"sha256": hash}]} pairs in room versions 1 and 2, whose hashes go to {@code hashes}.
     *
     * @throws IllegalArgumentException for an entry that is neither
     */
    static List<EventId> edges(JsonNode list, Map<EventId, String> hashes) {
        List<EventId> ids = new ArrayList<>();
        for (JsonNode entry : list) {
            if (entry.isTextual()) {
                ids.add(EventId.parse(entry.asText()));
            } else if (entry.isArray() && entry.path(0).isTextual()) {
                EventId id = EventId.parse(entry.get(0).asText());
                ids.add(id);
                if (entry.path(1).path("sha256").isTextual()) {
                    hashes.put(id, entry.get(1).get("sha256").asText());
                }
            } else {
                throw new IllegalArgumentException("a bad edge in the template: " + entry);
            }
        }
        return ids;
    }
}
