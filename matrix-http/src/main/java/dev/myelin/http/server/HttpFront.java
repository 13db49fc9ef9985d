package dev.myelin.http.server;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A plain-HTTP listener that hands every request to whichever {@link HttpServer} is current, so
 * that everything behind a port (router, stores, caches, database) can be replaced while the port,
 * and clients' open connections to it, stay. The {@code test-server} mode resets itself this way.
 *
 * <p>The servers it hands requests to need no listener of their own: build them with {@link
 * HttpServer.Builder#localConnector()} only, and start them before {@link #serve(HttpServer)}.
 * Requests are parsed as {@link HttpServer}'s own listeners parse them. Until a server is set, every
 * request is 404 {@code M_UNRECOGNIZED}.
 */
public final class HttpFront {
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(HttpServer.DEFAULT_IDLE_TIMEOUT_SECONDS);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Server server;
    private final ServerConnector connector;
    private final AtomicReference<HttpServer> current = new AtomicReference<>();

    /** A front that will listen on {@code host}:{@code port} (0 for a port the system picks). */
    public HttpFront(String host, int port) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("myelin-front");
        server = new Server(threads);
        server.setStopTimeout(STOP_TIMEOUT.toMillis());
        connector = new ServerConnector(server, new HttpConnectionFactory(HttpServer.httpConfiguration()));
        connector.setHost(Objects.requireNonNull(host, "host"));
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                HttpServer target = current.get();
                if (target == null) {
                    return false;
                }
                return target.handler().handle(request, response, callback);
            }
        });
    }

    /**
     * Sends every request from now on to {@code target} (already started); requests already
     * handed to the previous server finish there.
     */
    public void serve(HttpServer target) {
        current.set(Objects.requireNonNull(target, "target"));
    }

    /** Starts listening; returns once the port is bound. */
    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("failed to start HTTP server", e);
        }
    }

    /** Stops listening and closes the connections, after in-flight requests (for a few seconds at most). */
    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("failed to stop HTTP server", e);
        }
    }

    /** The port listened on (the actual one when it was asked as 0). */
    public int port() {
        return connector.getLocalPort();
    }
}
