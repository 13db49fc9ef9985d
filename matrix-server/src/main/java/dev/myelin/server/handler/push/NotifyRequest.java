package dev.myelin.server.handler.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.push.PushAction;
import dev.myelin.core.push.PushResult;
import dev.myelin.storage.push.Pusher;
import java.net.URI;
import java.util.Optional;

/**
 * One {@code POST /_matrix/push/v1/notify} to a pusher's gateway: its URL and its JSON body.
 *
 * @param url  the pusher's {@code data.url}
 * @param body the request body, {@code {"notification": ...}}
 * @see <a href="https://spec.matrix.org/v1.19/push-gateway-api/#post_matrixpushv1notify">Push Gateway API</a>
 */
public record NotifyRequest(URI url, ObjectNode body) {
    /** The format that sends only the event's id and room, not its content. */
    static final String EVENT_ID_ONLY = "event_id_only";

    /** Keeps a copy of the body. */
    public NotifyRequest {
        body = body.deepCopy();
    }

    /** A copy of the body. */
    @Override
    public ObjectNode body() {
        return body.deepCopy();
    }

    /**
     * The notification about an event. With {@code format: event_id_only} only the event's id,
     * room, the counts and the device are sent; otherwise its type, sender and content too, and
     * for a membership event whether the pushed user is its target. The priority is high when the
     * event is encrypted or the actions set a sound or highlight, as Synapse decides it.
     */
    static NotifyRequest forEvent(
            Pusher pusher,
            Pdu event,
            PushResult result,
            long unread,
            Optional<String> roomName,
            Optional<String> senderDisplayName) {
        ObjectNode notification = JsonNodeFactory.instance.objectNode();
        notification.put("event_id", event.eventId().value());
        notification.put("room_id", event.roomId().toString());
        ObjectNode tweaks = tweaks(result);
        boolean urgent = event.type().equals("m.room.encrypted")
                || tweaks.path("highlight").asBoolean(false)
                || tweaks.has("sound");
        if (!EVENT_ID_ONLY.equals(pusher.json().path("data").path("format").asText())) {
            // "id" is the event id under the name older gateways read
            notification.put("id", event.eventId().value());
            notification.put("type", event.type());
            notification.put("sender", event.sender().toString());
            senderDisplayName.ifPresent(n -> notification.put("sender_display_name", n));
            roomName.ifPresent(n -> notification.put("room_name", n));
            if (event.type().equals("m.room.member") && event.stateKey().isPresent()) {
                notification.set("membership", event.content().path("membership"));
                notification.put(
                        "user_is_target",
                        event.stateKey().get().equals(pusher.user().toString()));
            }
            if (!event.content().isEmpty()) {
                notification.set("content", event.content().deepCopy());
            }
        }
        notification.put("prio", urgent ? "high" : "low");
        notification.set("counts", counts(unread));
        notification.putArray("devices").add(device(pusher, tweaks));
        return new NotifyRequest(url(pusher), wrap(notification));
    }

    /** A notification with the user's new unread count only, e.g. after they read a room. */
    static NotifyRequest badge(Pusher pusher, long unread) {
        ObjectNode notification = JsonNodeFactory.instance.objectNode();
        notification.set("counts", counts(unread));
        notification.putArray("devices").add(device(pusher, JsonNodeFactory.instance.objectNode()));
        return new NotifyRequest(url(pusher), wrap(notification));
    }

    /** A pusher's gateway URL, as validated when it was set. */
    static URI url(Pusher pusher) {
        return URI.create(pusher.json().path("data").path("url").asText());
    }

    private static ObjectNode wrap(ObjectNode notification) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("notification", notification);
        return body;
    }

    /** {@code unread} is always sent, also when zero: that is how a gateway learns to clear a badge. */
    private static ObjectNode counts(long unread) {
        return JsonNodeFactory.instance.objectNode().put("unread", unread);
    }

    private static ObjectNode device(Pusher pusher, ObjectNode tweaks) {
        ObjectNode data = pusher.json().path("data") instanceof ObjectNode d
                ? d.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        data.remove("url");
        ObjectNode device = JsonNodeFactory.instance.objectNode();
        device.put("app_id", pusher.appId());
        device.put("pushkey", pusher.pushkey());
        device.put("pushkey_ts", pusher.pushkeyTs() / 1000);
        device.set("data", data);
        device.set("tweaks", tweaks);
        return device;
    }

    /** The {@code set_tweak} actions as a map; a highlight tweak without a value means true. */
    private static ObjectNode tweaks(PushResult result) {
        ObjectNode tweaks = JsonNodeFactory.instance.objectNode();
        for (PushAction action : result.actions()) {
            if (action instanceof PushAction.SetTweak tweak) {
                JsonNode value = tweak.value().orElse(JsonNodeFactory.instance.booleanNode(true));
                tweaks.set(tweak.name(), value.deepCopy());
            }
        }
        return tweaks;
    }
}
