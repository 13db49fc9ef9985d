package dev.myelin.server.handler.accountdata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.account.TagStore;
import java.util.Optional;
import java.util.Set;

/**
 * Client account data, global and per room, and room tags (kept by the tag store as the room's
 * {@code m.tag} account data). Every write wakes the user's syncs. A user reads and writes only
 * their own data.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#client-config">Client config</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-tagging">Room tagging</a>
 */
public final class AccountDataHandler {
    /** Types the server manages through other APIs; the spec makes servers refuse them here. */
    private static final Set<String> SERVER_MANAGED = Set.of("m.fully_read", "m.push_rules");
    /** Tags are stored in one row each; very long names would only be abuse. */
    private static final int MAX_TAG_LENGTH = 255;

    private final AccountDataStore accountData;
    private final TagStore tagStore;
    private final Notifier notifier;

    public AccountDataHandler(AccountDataStore accountData, TagStore tagStore, Notifier notifier) {
        this.accountData = accountData;
        this.tagStore = tagStore;
        this.notifier = notifier;
    }

    public void put(UserId requester, UserId owner, Optional<RoomId> room, String type, ObjectNode content) {
        requireSelf(requester, owner, "add");
        if (SERVER_MANAGED.contains(type)) {
            throw new MatrixException(405, ErrorCode.BAD_JSON, "Cannot set " + type + " through this API.");
        }
        if (type.isEmpty()) {
            throw MatrixException.invalidParam("type", "must not be empty");
        }
        if (room.isPresent()) {
            accountData.putForRoom(owner, room.get(), type, content);
        } else {
            accountData.putGlobal(owner, type, content);
        }
        notifier.wakeUser(owner);
    }

    public ObjectNode get(UserId requester, UserId owner, Optional<RoomId> room, String type) {
        requireSelf(requester, owner, "get");
        Optional<ObjectNode> content =
                room.isPresent() ? accountData.getForRoom(owner, room.get(), type) : accountData.getGlobal(owner, type);
        return content.orElseThrow(() -> MatrixException.notFound("Account data not found"));
    }

    /** The tags {@code owner} has on {@code room}. */
    public RoomTags tags(UserId requester, UserId owner, RoomId room) {
        requireSelf(requester, owner, "get");
        return new RoomTags(tagStore.tags(owner, room));
    }

    public void putTag(UserId requester, UserId owner, RoomId room, String tag, ObjectNode content) {
        requireSelf(requester, owner, "add");
        if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
            throw MatrixException.invalidParam("tag", "must be 1 to " + MAX_TAG_LENGTH + " characters");
        }
        if (content.has("order") && !content.get("order").isNumber()) {
            throw MatrixException.badJson("'order' must be a number");
        }
        tagStore.addTag(owner, room, tag, content);
        notifier.wakeUser(owner);
    }

    public void deleteTag(UserId requester, UserId owner, RoomId room, String tag) {
        requireSelf(requester, owner, "delete");
        tagStore.removeTag(owner, room, tag);
        notifier.wakeUser(owner);
    }

    private static void requireSelf(UserId requester, UserId owner, String verb) {
        if (!requester.equals(owner)) {
            throw MatrixException.forbidden("Cannot " + verb + " account data for other users.");
        }
    }
}
