package dev.myelin.http.server;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The outermost handler when a {@link ListenerInterceptor} is set: asks it about each request that
 * came over a socket, then answers in the server's place, or hands the request on, at once or from
 * Jetty's scheduler once the delay is over (in real time: it delays sockets, not the server's clock).
 */
final class ListenerInterception extends Handler.Wrapper {
    private final ListenerInterceptor interceptor;
    private final Scheduler scheduler;

    ListenerInterception(ListenerInterceptor interceptor, Scheduler scheduler, Handler next) {
        super(next);
        this.interceptor = interceptor;
        this.scheduler = scheduler;
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
