package dev.myelin.server.migrate;

import java.util.Set;

/**
 * The {@code /notifications} list: Synapse's push actions that notified. Unread counts need nothing
 * here: Myelin counts them from the imported events, receipts and push rules.
 */
final class NotificationsImport {
    /** Synapse stores its two most common action lists as an empty string (see {@link #actions}). */
    private static final String DEFAULT_NOTIFY = "[\"notify\",{\"set_tweak\":\"highlight\",\"value\":false}]";

    private static final String DEFAULT_HIGHLIGHT =
            "[\"notify\",{\"set_tweak\":\"sound\",\"value\":\"default\"},{\"set_tweak\":\"highlight\"}]";

    private final ImportContext ctx;
    private final Set<String> users;

    NotificationsImport(ImportContext ctx, Set<String> users) {
        this.ctx = ctx;
        this.users = users;
    }

    void run() {
        Target t = ctx.target();
        ctx.copy(
                "event_push_actions",
                "SELECT pa.user_id, pa.event_id, pa.room_id, e.stream_ordering, e.topological_ordering, pa.actions,"
                        + " pa.highlight, pa.notif, e.origin_server_ts FROM event_push_actions pa"
                        + " LEFT JOIN events e ON e.event_id = pa.event_id",
                r -> {
                    if (!users.contains(r.getString(1))) {
                        t.skip("notifications of accounts not imported");
                        return;
                    }
                    if (r.getObject(4) == null) {
                        t.skip("notifications about events Synapse no longer has");
                        return;
                    }
                    if (r.getInt(8) == 0) {
                        t.skip("push actions that did not notify (unread markers only)");
                        return;
                    }
                    boolean highlight = r.getInt(7) != 0;
                    t.insert(
                            "notifications",
                            "user_id, event_id, room_id, stream_ordering, topological_ordering, actions, highlight,"
                                    + " received_ts",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getLong(4),
                            r.getLong(5),
                            actions(r.getString(6), highlight),
                            highlight,
                            r.getLong(9));
                });
    }

    private static String actions(String stored, boolean highlight) {
        if (stored == null || stored.isEmpty()) {
            return highlight ? DEFAULT_HIGHLIGHT : DEFAULT_NOTIFY;
        }
        return stored;
    }
}
