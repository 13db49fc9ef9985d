package dev.myelin.replication;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that keeps what it is told and on which threads. */
final class Recorder implements RedisReplication.Listener {

    final AtomicInteger connects = new AtomicInteger();
    final BlockingQueue<ReplicationMessage> messages = new LinkedBlockingQueue<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onConnected() {
        threads.add(Thread.currentThread().getName());
        connects.incrementAndGet();
    }

    @Override
    public void onMessage(ReplicationMessage message) {
        threads.add(Thread.currentThread().getName());
        messages.add(message);
    }

    /** The next message, waiting up to 10 s; fails if none comes. */
    ReplicationMessage next() throws InterruptedException {
        ReplicationMessage m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s");
        }
        return m;
    }
}
