package dev.myelin.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rooms for the sync scenarios, made over HTTP as a client would make them: {@code owner} creates
 * {@code count} public rooms, every one of {@code members} joins each, and then owner and members
 * in turn send {@code messagesPerRoom} messages to each room. Rate limits are lifted in the bench's
 * server config, so this is bound by the server's send path only.
 */
final class RoomSetup {
    private RoomSetup() {}

    /** Makes the rooms and returns their ids, in creation order; throws if any step failed. */
    static List<String> build(
            Context c, String label, Seeder.Account owner, List<Seeder.Account> members, int count, int messagesPerRoom)
            throws Exception {
        Plan p = c.plan();
        MatrixHttp http = c.http();
        String[] rooms = new String[count];
        ClosedLoop.Result created =
                ClosedLoop.run(Math.min(8, p.concurrency()), Duration.ofMinutes(3), count, (w, seq) -> {
                    rooms[(int) seq] = http.createPublicRoom(owner.token(), label + " " + seq);
                });
        if (created.errors() > 0) {
            throw new IllegalStateException(label + " set-up: room creation failed: " + created.firstError());
        }
        int others = members.size();
        ClosedLoop.Result joins = ClosedLoop.run(
                p.concurrency(),
                Duration.ofMinutes(3),
                (long) count * others,
                (w, seq) -> http.join(members.get((int) (seq % others)).token(), rooms[(int) (seq / others)]));
        long messages = (long) count * messagesPerRoom;
        ClosedLoop.Result sent = ClosedLoop.run(p.concurrency(), Duration.ofMinutes(4), messages, (w, seq) -> {
            int member = (int) (seq % (others + 1));
            Seeder.Account sender = member == others ? owner : members.get(member);
            http.sendText(sender.token(), rooms[(int) (seq % count)], label + seq, label + " filler " + seq);
        });
        if (joins.errors() + sent.errors() > 0) {
            throw new IllegalStateException(label + " set-up failed: " + joins.firstError() + " " + sent.firstError());
        }
        return new ArrayList<>(List.of(rooms));
    }
}
