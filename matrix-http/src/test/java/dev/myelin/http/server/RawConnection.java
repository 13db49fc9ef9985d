package dev.myelin.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One real TCP connection to a server on 127.0.0.1 that sends raw HTTP/1.1 and reads
 * {@code Content-Length} responses, so tests can put several requests on the same keep-alive
 * connection or send bytes as slowly as they like.
 */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A response as read off the wire: its status line, head and body. */
    record Response(int status, String head, String body) {}

    void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends a GET with the given extra header lines (each ending in CRLF) and reads its response. */
    Response get(String path, String headers) throws IOException {
        write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n");
        return read();
    }

    /** Tells the server nothing more will be sent, keeping the connection open for its answer. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    Response read() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response head ended: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(text.substring(9, 12)), text, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Whether the server has closed the connection: a read returns end of stream (or a reset)
     * rather than timing out after {@code waitMillis}. Any bytes the server sent first are skipped.
     */
    boolean closedByServerWithin(int waitMillis) throws IOException {
        socket.setSoTimeout(waitMillis);
        try {
            while (in.read() >= 0) {
                // skip what the server sent before closing, such as a 408
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
