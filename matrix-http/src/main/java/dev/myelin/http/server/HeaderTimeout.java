package dev.myelin.http.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes HTTP/1.1 connections whose request headers do not arrive in time: the first request's
 * within {@code timeout} of the connection opening, each later one within {@code timeout} of its
 * first byte. Jetty's idle timeout alone does not do this, since every byte resets it and a client
 * sending one header byte a second holds its connection for as long as it likes.
 *
 * <p>It is a connection listener (added to each network connector) that tracks the open
 * connections, and the outermost handler, which sees when a request's headers are complete and
 * when its response is done. A sweep every quarter of the timeout closes a connection that has been
 * waiting for headers for the whole timeout, so it closes between one and one and a quarter
 * timeouts after the deadline started. A connection between requests that has received nothing is
 * left to the idle timeout.
 *
 * <p>The sweep runs on Jetty's scheduler, in real time like the idle timeout, not on the server's
 * {@link dev.myelin.core.time.Clock}: it times sockets, and a test's fake clock must not hold them
 * open.
 */
final class HeaderTimeout extends Handler.Wrapper implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(HeaderTimeout.class);
    /** Sweeps per timeout. */
    private static final int TICKS = 4;

    private final Duration timeout;
    private final Scheduler scheduler;
    private final Map<Connection, Tracked> connections = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;

    /** What is known of one connection; the tick count is only touched by the sweep. */
    private static final class Tracked {
        final AtomicLong started = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        /** Bytes received when the last response was done: more means a new request has begun. */
        volatile long bytesWhenIdle;

        long finishedAtLastSweep;
        int ticksWaiting;
    }

    HeaderTimeout(Duration timeout, Scheduler scheduler) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the request header timeout must be positive");
        }
        this.timeout = timeout;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        // Only HTTP connections carry requests; a TLS connection below one is closed with it.
        if (connection instanceof ConnectionMetaData) {
            connections.put(connection, new Tracked());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        connections.remove(connection);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        Tracked tracked = connections.get(connection);
        if (tracked == null) {
            return super.handle(request, response, callback);
        }
        tracked.started.incrementAndGet();
        Runnable done = () -> {
            tracked.bytesWhenIdle = connection.getBytesIn();
            tracked.finished.incrementAndGet();
        };
        boolean handled;
        try {
            handled = super.handle(request, response, new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    done.run();
                    super.succeeded();
                }

                @Override
                public void failed(Throwable failure) {
                    done.run();
                    super.failed(failure);
                }
            });
        } catch (Exception | Error e) {
            done.run();
            throw e;
        }
        if (!handled) {
            done.run();
        }
        return handled;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        schedule();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
        super.doStop();
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            sweep = scheduler.schedule(this::sweep, Math.max(1, timeout.toMillis() / TICKS), TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        try {
            connections.forEach(this::check);
        } catch (RuntimeException e) {
            log.warn("Request header timeout check failed", e);
        } finally {
            schedule();
        }
    }

    private void check(Connection connection, Tracked tracked) {
        long finished = tracked.finished.get();
        if (tracked.started.get() > finished || finished != tracked.finishedAtLastSweep) {
            // handling a request, or one was handled since the last sweep: a new wait starts later
            tracked.finishedAtLastSweep = finished;
            tracked.ticksWaiting = 0;
            return;
        }
        boolean waiting = finished == 0 || connection.getBytesIn() > tracked.bytesWhenIdle;
        if (!waiting) {
            tracked.ticksWaiting = 0;
            return;
        }
        if (++tracked.ticksWaiting > TICKS) {
            log.debug("Closing {}: request headers not received within {}", connection, timeout);
            connections.remove(connection);
            connection.getEndPoint().close();
        }
    }
}
