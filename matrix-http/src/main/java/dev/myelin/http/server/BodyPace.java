package dev.myelin.http.server;

import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * How slowly a request body may arrive: within {@code grace} of the first read, plus one second
 * for every {@link #MIN_BYTES_PER_SECOND} bytes received. Jetty's idle timeout restarts with every
 * byte, so without this a client sending its body a byte at a time would hold a connection and a
 * handler for as long as it liked. A body arriving too slowly is answered with 408 and the rest
 * is not read.
 *
 * @param clock the server's clock
 * @param grace the time every body gets before its rate counts
 */
record BodyPace(Clock clock, Duration grace) {

    /** The slowest rate a body may keep up after the grace time. */
    static final long MIN_BYTES_PER_SECOND = 500;

    /** {@code in}, failing a read with 408 once the body has fallen behind. */
    InputStream watch(InputStream in) {
        long graceNanos = grace.toNanos();
        return new FilterInputStream(in) {
            private long start = -1;
            private long received;

            @Override
            public int read() throws IOException {
                begin();
                int b = super.read();
                check(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                begin();
                int n = super.read(buffer, off, len);
                check(Math.max(n, 0));
                return n;
            }

            private void begin() {
                if (start < 0) {
                    start = clock.monotonicNanos();
                }
            }

            private void check(int n) {
                received += n;
                long allowed = graceNanos + received * 1_000_000_000L / MIN_BYTES_PER_SECOND;
                if (clock.monotonicNanos() - start > allowed) {
                    throw new MatrixException(408, ErrorCode.UNKNOWN, "The request body arrived too slowly");
                }
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }
}
