package dev.myelin.http.server;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A test server's handler just inside the {@link HeaderTimeout} ({@link HttpServer#forTests}): asks its {@link ListenerInterceptor} about each request that
 * came over a socket, then answers in the server's place, or hands the request on, at once or from
 * Jetty's scheduler once the delay is over (in real time: it delays sockets, not the server's clock).
 */
final class ListenerInterception extends Handler.Wrapper {
    private final ListenerInterceptor interceptor;
    private final Scheduler scheduler;

    private ListenerInterception(ListenerInterceptor interceptor, Scheduler scheduler) {
        this.interceptor = interceptor;
        this.scheduler = scheduler;
    }

    /**
     * Puts an interception of {@code interceptor} right inside {@code outer}, and has the network
     * connectors close connections that are idle at stop at once (a millisecond; zero would mean
     * never).
     */
    static void install(Server server, Handler.Wrapper outer, ListenerInterceptor interceptor) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector network && !(connector instanceof LocalConnector)) {
                network.setShutdownIdleTimeout(1);
            }
        }
        Handler inner = outer.getHandler();
        ListenerInterception interception = new ListenerInterception(interceptor, server.getScheduler());
        outer.setHandler(interception);
        interception.setHandler(inner);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() instanceof LocalConnector) {
            return super.handle(request, response, callback);
        }
        ListenerInterceptor.Verdict verdict =
                interceptor.intercept(request.getMethod(), request.getHttpURI().getPath());
        if (verdict.delay().isZero()) {
            return decide(verdict, request, response, callback);
        }
        scheduler.schedule(
                () -> getServer().getThreadPool().execute(() -> decideLater(verdict, request, response, callback)),
                verdict.delay().toNanos(),
                TimeUnit.NANOSECONDS);
        return true;
    }

    private void decideLater(
            ListenerInterceptor.Verdict verdict, Request request, Response response, Callback callback) {
        try {
            if (!decide(verdict, request, response, callback)) {
                Response.writeError(request, response, callback, 404);
            }
        } catch (Throwable e) {
            callback.failed(e);
        }
    }

    private boolean decide(ListenerInterceptor.Verdict verdict, Request request, Response response, Callback callback)
            throws Exception {
        if (verdict.answer().isEmpty()) {
            return super.handle(request, response, callback);
        }
        ListenerInterceptor.Answer answer = verdict.answer().get();
        response.setStatus(answer.status());
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
        return true;
    }
}
