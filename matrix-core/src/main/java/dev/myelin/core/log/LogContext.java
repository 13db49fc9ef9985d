package dev.myelin.core.log;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import org.slf4j.MDC;

/**
 * The logging context of the current request: request id, user id and worker name, kept in the
 * SLF4J {@link MDC} so every log line written while handling a request can be tied to it.
 *
 * <p>The MDC is per thread, so work handed to another thread would lose the context. {@link
 * #wrap(Runnable)}, {@link #wrap(Callable)} and {@link #propagating(ExecutorService)} capture the
 * context when the task is created and install it on whichever thread runs the task, removing it
 * again afterwards.
 *
 * <pre>{@code
 * try (LogContext.Scope scope = LogContext.open(requestId, userId)) {
 *     log.info("handling request");        // carries request_id and user_id
 *     executor.submit(LogContext.wrap(() -> log.info("fetching keys")));  // so does this
 * }                                         // and nothing leaks past here
 * }</pre>
 *
 * <p>Log layouts reference the keys {@value #REQUEST_ID}, {@value #USER_ID} and {@value #WORKER}
 * (in logback, {@code %X{request_id}}).
 */
public final class LogContext {

    /** MDC key of the request id. */
    public static final String REQUEST_ID = "request_id";
    /** MDC key of the requesting user's Matrix id. */
    public static final String USER_ID = "user_id";
    /** MDC key of the worker (process role) name. */
    public static final String WORKER = "worker";

    private LogContext() {}

    /**
     * A context that ends when closed; closing restores exactly what the thread's context was
     * before it was opened. Close on the thread that opened it.
     */
    public interface Scope extends AutoCloseable {
        /** Restores the previous context. */
        @Override
        void close();
    }

    /**
     * Sets the request id and the requesting user's id for the current thread until the returned
     * scope is closed. Other keys (such as the worker) are kept.
     */
    public static Scope open(String requestId, String userId) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(userId, "userId");
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.put(REQUEST_ID, requestId);
        MDC.put(USER_ID, userId);
        return () -> restore(previous);
    }

    /**
     * Sets the request id for an unauthenticated request (no user) until the returned scope is
     * closed. Other keys (such as the worker) are kept; any user id is removed.
     */
    public static Scope open(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.put(REQUEST_ID, requestId);
        MDC.remove(USER_ID);
        return () -> restore(previous);
    }

    /** Sets the worker name for the current thread until the returned scope is closed. */
    public static Scope openWorker(String worker) {
        Objects.requireNonNull(worker, "worker");
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.put(WORKER, worker);
        return () -> restore(previous);
    }

    /** The current thread's request id, if inside a request. */
    public static Optional<String> requestId() {
        return Optional.ofNullable(MDC.get(REQUEST_ID));
    }

    /** The current thread's user id, if known. */
    public static Optional<String> userId() {
        return Optional.ofNullable(MDC.get(USER_ID));
    }

    /** The current thread's worker name, if set. */
    public static Optional<String> worker() {
        return Optional.ofNullable(MDC.get(WORKER));
    }

    /** Captures the current context; the returned task runs {@code task} inside it. */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        Map<String, String> captured = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            restore(captured);
            try {
                task.run();
            } finally {
                restore(previous);
            }
        };
    }

    /** Captures the current context; the returned task runs {@code task} inside it. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Map<String, String> captured = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            restore(captured);
            try {
                return task.call();
            } finally {
                restore(previous);
            }
        };
    }

    /**
     * An executor that runs each task in the context that was current when the task was
     * submitted. Shutting it down shuts down {@code delegate}.
     */
    public static ExecutorService propagating(ExecutorService delegate) {
        return new PropagatingExecutorService(delegate);
    }

    private static void restore(Map<String, String> context) {
        if (context == null || context.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
