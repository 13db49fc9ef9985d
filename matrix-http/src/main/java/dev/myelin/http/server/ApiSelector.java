package dev.myelin.http.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Chooses per listener what a request reaches: the metrics path on listeners that serve metrics,
 * the Matrix APIs on the others. Metrics are not authenticated (as in Synapse), so they are
 * served only on the listeners configured for them, which an admin keeps private.
 */
final class ApiSelector extends Handler.Wrapper {
    private static final byte[] NOT_FOUND =
            "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}".getBytes(StandardCharsets.UTF_8);

    private final Set<Connector> metricsConnectors;
    private final Set<Connector> metricsOnlyConnectors;
    private final String metricsPath;
    private final MetricsSource metrics;

    ApiSelector(
            Handler matrix,
            Set<Connector> metricsConnectors,
            Set<Connector> metricsOnlyConnectors,
            String metricsPath,
            MetricsSource metrics) {
        super(matrix);
        this.metricsConnectors = Set.copyOf(metricsConnectors);
        this.metricsOnlyConnectors = Set.copyOf(metricsOnlyConnectors);
        this.metricsPath = metricsPath;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connector connector = request.getConnectionMetaData().getConnector();
        if (metricsConnectors.contains(connector)
                && metricsPath.equals(request.getHttpURI().getPath())) {
            if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                return answer(response, callback, 405, "application/json", NOT_FOUND, false);
            }
            MetricsSource.Scrape scrape = metrics.scrape(request.getHeaders().get(HttpHeader.ACCEPT));
            return answer(
                    response, callback, 200, scrape.contentType(), scrape.body(), "HEAD".equals(request.getMethod()));
        }
        if (metricsOnlyConnectors.contains(connector)) {
            return answer(response, callback, 404, "application/json", NOT_FOUND, false);
        }
        return super.handle(request, response, callback);
    }

    private static boolean answer(
            Response response, Callback callback, int status, String contentType, byte[] body, boolean head) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
    }
}
