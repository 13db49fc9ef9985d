package dev.myelin.testing;

import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.appservice.TestAppService;
import java.net.URI;
import java.util.List;

/**
 * The homeserver's way to its application services in a test: a request whose URL lies under a
 * registration's {@code url} goes to that registration's {@link TestAppService}, with the url's
 * path (a service behind a prefix) taken off, as the service's own HTTP server would see it. A
 * URL no service claims fails as an unreachable host does.
 */
final class AppServiceRouting implements HttpTransport {
    private final List<TestAppService> services;

    AppServiceRouting(List<TestAppService> services) {
        this.services = List.copyOf(services);
    }

    @Override
    public OutboundResponse send(OutboundRequest request) {
        String target = request.uri().toString();
        for (TestAppService service : services) {
            String base = withoutTrailingSlash(service.registration().url().toString());
            if (target.startsWith(base + "/")) {
                URI url = service.registration().url();
                String origin = url.getScheme() + "://" + url.getRawAuthority();
                URI local = URI.create(origin + target.substring(base.length()));
                return service.send(new OutboundRequest(request.method(), local, request.headers(), request.body()));
            }
        }
        throw new OutboundHttpException("no application service of this test homeserver is at " + target, null);
    }

    private static String withoutTrailingSlash(String url) {
        String s = url;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
