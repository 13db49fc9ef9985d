package dev.myelin.http.server;

import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/** Reads request bodies without ever holding more than the limit in memory. */
final class BodyReader {

    private BodyReader() {}

    /** Reads all of {@code in}, failing with 413 as soon as more than {@code limit} bytes arrive. */
    static byte[] readAll(InputStream in, long limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > limit) {
                    throw MatrixException.tooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading request body", e);
        }
        return out.toByteArray();
    }

    /**
     * {@code in}, with a failed read answered as the client's fault rather than a server error:
     * the connection dropped or ran idle before the body was complete, which any client can
     * cause. 408 when the read timed out, 400 otherwise.
     */
    static InputStream clientFailures(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw failure(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw failure(e);
                }
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    private static MatrixException failure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return new MatrixException(408, ErrorCode.UNKNOWN, "The request body arrived too slowly");
            }
        }
        return new MatrixException(400, ErrorCode.UNKNOWN, "The request body ended early");
    }

    /** A stream that throws 413 once more than {@code limit} bytes have been read through it. */
    static InputStream limited(InputStream in, long limit) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) {
                count += n;
                if (count > limit) {
                    throw MatrixException.tooLarge(limit);
                }
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }
}
