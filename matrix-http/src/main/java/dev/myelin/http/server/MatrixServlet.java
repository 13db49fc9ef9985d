package dev.myelin.http.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.log.LogContext;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimitOverrides;
import dev.myelin.http.ratelimit.RateLimiter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts servlet requests into {@link MatrixRequest}s and dispatches them: routing, CORS, auth,
 * rate limiting, the endpoint, and the single place where exceptions become Matrix errors.
 */
final class MatrixServlet extends HttpServlet {

    /** The MDC key the request id is logged under. */
    static final String MDC_REQUEST_ID = LogContext.REQUEST_ID;

    /** The request attribute holding the matched endpoint's path template, for the observer. */
    private static final String ENDPOINT_ATTRIBUTE = "dev.myelin.endpoint";

    private static final Logger log = LoggerFactory.getLogger(MatrixServlet.class);

    private final transient Dispatch dispatch;
    private final AtomicLong requestCounter = new AtomicLong();

    /** Everything the servlet needs, fixed at start-up. */
    record Dispatch(
            Router router,
            Authenticator authenticator,
            ServerAuthenticator serverAuthenticator,
            ServerRequestGate serverGate,
            RateLimiter rateLimiter,
            Map<String, RateLimit> rateLimits,
            RateLimitOverrides rateLimitOverrides,
            ClientRequestFilter clientFilter,
            long maxBodyBytes,
            boolean trustForwardedFor,
            ObjectMapper json,
            Executor virtualThreads,
            Clock clock,
            BodyPace bodyPace,
            RequestObserver observer) {}

    MatrixServlet(Dispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            handle(req, resp);
            return;
        }
        // Jetty normally dispatches blocking work to its virtual-thread executor already; some
        // paths (e.g. the in-memory connector) call in on a platform thread, so hand off here to
        // keep the guarantee that endpoints always run on virtual threads.
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        dispatch.virtualThreads.execute(() -> {
            try {
                handle(req, resp);
            } catch (IOException | RuntimeException e) {
                log.debug("Failed writing response", e);
            } finally {
                async.complete();
            }
        });
    }

    private void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long start = dispatch.clock.monotonicNanos();
        String requestId = req.getMethod() + "-" + requestCounter.incrementAndGet();
        try (LogContext.Scope ignored = LogContext.open(requestId)) {
            try {
                respond(req, resp, requestId);
            } finally {
                AccessLog.record(
                        req.getMethod(),
                        req.getRequestURI(),
                        resp.getStatus(),
                        dispatch.clock.monotonicNanos() - start,
                        Optional.ofNullable((String) req.getAttribute(AccessLog.USER_ATTRIBUTE)));
                observe(req, resp, start);
            }
        }
    }

    /** Tells the observer; a failing observer costs the metrics a sample, never the response. */
    private void observe(HttpServletRequest req, HttpServletResponse resp, long start) {
        try {
            Object endpoint = req.getAttribute(ENDPOINT_ATTRIBUTE);
            dispatch.observer.completed(
                    endpoint instanceof String path ? path : RequestObserver.UNMATCHED,
                    req.getMethod(),
                    resp.getStatus(),
                    dispatch.clock.monotonicNanos() - start);
        } catch (RuntimeException e) {
            log.warn("request observer failed", e);
        }
    }

    private void respond(HttpServletRequest req, HttpServletResponse resp, String requestId) throws IOException {
        writeCors(resp);
        MatrixResponse response;
        try {
            response = dispatch(req, requestId);
        } catch (MatrixException e) {
            response = errorResponse(e);
        } catch (RuntimeException e) {
            log.error("Unhandled exception processing {} {}", req.getMethod(), req.getRequestURI(), e);
            response = errorResponse(MatrixException.unknown("Internal server error"));
        }
        try {
            write(response, resp, req.getMethod());
        } catch (RuntimeException e) {
            log.error("Failed writing the response to {} {}", req.getMethod(), req.getRequestURI(), e);
            if (!resp.isCommitted()) {
                resp.reset();
                writeCors(resp);
                write(errorResponse(MatrixException.unknown("Internal server error")), resp, req.getMethod());
            }
        }
    }

    private MatrixResponse dispatch(HttpServletRequest req, String requestId) {
        String rawPath = req.getRequestURI();
        Optional<HttpMethod> method = HttpMethod.parse(req.getMethod());
        if (method.isPresent() && method.get() == HttpMethod.OPTIONS) {
            // CORS preflight: answered for any known path, and no endpoint logic runs.
            if (dispatch.router.match(null, rawPath) instanceof Router.Match.NotFound) {
                throw MatrixException.unrecognized();
            }
            return MatrixResponse.ok();
        }
        Router.Match match = dispatch.router.match(method.orElse(null), rawPath);
        if (method.isEmpty() && !(match instanceof Router.Match.NotFound)) {
            throw MatrixException.methodNotAllowed();
        }
        return switch (match) {
            case Router.Match.NotFound n -> throw MatrixException.unrecognized();
            case Router.Match.WrongMethod w -> throw MatrixException.methodNotAllowed();
            case Router.Match.Found found -> invoke(req, requestId, method.orElseThrow(), found);
        };
    }

    private MatrixResponse invoke(
            HttpServletRequest req, String requestId, HttpMethod method, Router.Match.Found found) {
        Endpoint endpoint = found.endpoint();
        req.setAttribute(ENDPOINT_ATTRIBUTE, endpoint.path());
        Map<String, String> params = new LinkedHashMap<>();
        found.rawParams()
                .forEach((name, raw) -> params.put(
                        name,
                        Router.decodeSegment(raw)
                                .orElseThrow(() -> MatrixException.invalidParam(name, "malformed percent-encoding"))));
        long maxBody = endpoint.maxBodyBytes().orElse(dispatch.maxBodyBytes);
        ServletMatrixRequest.checkDeclaredLength(req, maxBody);
        ServletMatrixRequest request = new ServletMatrixRequest(
                req,
                dispatch.json,
                requestId,
                method,
                params,
                maxBody,
                dispatch.trustForwardedFor,
                !endpoint.streamsBody(),
                dispatch.bodyPace);
        authenticate(endpoint, req, request);
        // From here on every log line of this request names the user too.
        try (LogContext.Scope ignored = request.requester()
                .map(r -> LogContext.open(requestId, r.userId().toString()))
                .orElseGet(() -> LogContext.open(requestId))) {
            return rateLimitAndHandle(endpoint, request);
        }
    }

    private MatrixResponse rateLimitAndHandle(Endpoint endpoint, ServletMatrixRequest request) {
        if (request.requester().isPresent()) {
            Optional<MatrixResponse> answered = dispatch.clientFilter.filter(
                    endpoint, request, request.requester().get());
            if (answered.isPresent()) {
                return answered.get();
            }
        }
        endpoint.rateLimitAction().ifPresent(action -> {
            RateLimit configured = dispatch.rateLimits.get(action);
            if (configured != null
                    && request.requester().map(Requester::rateLimited).orElse(true)) {
                Optional<RateLimit> limit = Optional.of(configured);
                String key = request.requester().map(r -> r.userId().toString()).orElse(request.clientIp());
                if (request.requester().isPresent()) {
                    Optional<RateLimitOverrides.UserLimit> override = dispatch.rateLimitOverrides.find(
                            request.requester().get().userId());
                    if (override.isPresent()) {
                        limit = override.get().limit();
                        // a bucket of its own: what the configured limit counted means nothing at another rate
                        key = key + " (override)";
                    }
                }
                String bucket = key;
                limit.ifPresent(l -> dispatch.rateLimiter.check(action, bucket, l));
            }
        });
        MatrixResponse response;
        if (endpoint.auth() == AuthRequirement.SERVER) {
            try (ServerRequestGate.Permit ignored =
                    dispatch.serverGate.enter(request.origin().orElseThrow())) {
                response = endpoint.handle(request);
            }
        } else {
            response = endpoint.handle(request);
        }
        if (response == null) {
            throw new IllegalStateException("endpoint " + endpoint.method() + " " + endpoint.path() + " returned null");
        }
        return response;
    }

    private void authenticate(Endpoint endpoint, HttpServletRequest req, ServletMatrixRequest request) {
        if (endpoint.auth() == AuthRequirement.NONE) {
            return;
        }
        if (endpoint.auth() == AuthRequirement.SERVER) {
            ServerName origin = dispatch.serverAuthenticator.authenticate(request);
            request.authenticatedServer(origin);
            req.setAttribute(AccessLog.USER_ATTRIBUTE, origin.value());
            return;
        }
        if (req.getHeader("Authorization") != null
                && request.queryParam("access_token").isPresent()) {
            throw new MatrixException(
                    401,
                    dev.myelin.http.error.ErrorCode.MISSING_TOKEN,
                    "Mixing Authorization header and access_token query parameter");
        }
        Optional<String> token = request.accessToken();
        if (token.isEmpty()) {
            if (endpoint.auth() == AuthRequirement.REQUIRED) {
                throw MatrixException.missingToken();
            }
            return;
        }
        Requester who = dispatch.authenticator.authenticate(token.get(), request);
        if (who == null) {
            throw MatrixException.unknownToken("Unrecognised access token", false);
        }
        request.authenticated(who);
        req.setAttribute(AccessLog.USER_ATTRIBUTE, who.userId().toString());
    }

    static MatrixResponse errorResponse(MatrixException e) {
        MatrixResponse response = MatrixResponse.json(e.status(), e.toJson());
        if (e.status() == 429 && e.retryAfterMs().isPresent()) {
            long seconds = (e.retryAfterMs().getAsLong() + 999) / 1000;
            response = response.withHeader("Retry-After", Long.toString(seconds));
        }
        return response;
    }

    static void writeCors(HttpServletResponse resp) {
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        resp.setHeader("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");
    }

    private void write(MatrixResponse response, HttpServletResponse resp, String method) throws IOException {
        resp.setStatus(response.status());
        for (MatrixResponse.Header h : response.headers()) {
            resp.addHeader(h.name(), h.value());
        }
        for (MatrixResponse.Cookie c : response.cookies()) {
            Cookie cookie = new Cookie(c.name(), c.value());
            cookie.setPath(c.path());
            cookie.setSecure(c.secure());
            cookie.setHttpOnly(c.httpOnly());
            c.maxAge().ifPresent(age -> cookie.setMaxAge((int) Math.min(Integer.MAX_VALUE, age.toSeconds())));
            c.sameSite().ifPresent(s -> cookie.setAttribute("SameSite", s));
            resp.addCookie(cookie);
        }
        boolean head = "HEAD".equals(method);
        switch (response.body()) {
            case MatrixResponse.Body.Empty e -> resp.setContentLength(0);
            case MatrixResponse.Body.Json j -> {
                byte[] bytes = dispatch.json.writeValueAsBytes(j.json());
                writeBytes(resp, "application/json", bytes, head);
            }
            case MatrixResponse.Body.Bytes b -> writeBytes(resp, b.contentType(), b.bytes(), head);
            case MatrixResponse.Body.Stream s -> {
                resp.setContentType(s.contentType());
                s.length().ifPresent(resp::setContentLengthLong);
                if (!head) {
                    try (OutputStream out = resp.getOutputStream()) {
                        s.writer().writeTo(out);
                    }
                }
            }
        }
    }

    private static void writeBytes(HttpServletResponse resp, String contentType, byte[] bytes, boolean head)
            throws IOException {
        resp.setContentType(contentType);
        resp.setContentLength(bytes.length);
        if (!head) {
            resp.getOutputStream().write(bytes);
        }
    }
}
