package dev.myelin.server.api.threepid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small SMTP server on 127.0.0.1 for tests: it speaks EHLO (offering AUTH PLAIN), MAIL, RCPT,
 * DATA (undoing the dot-stuffing) and QUIT, and keeps each mail it receives. One connection at a
 * time, every read bounded by a timeout, closed by the test.
 */
final class TestSmtpServer implements AutoCloseable {
    /** A received mail: the envelope and the message as sent (headers and body). */
    record Mail(String from, List<String> to, String data, List<String> auth) {
        /** The message body, after the blank line that ends the headers. */
        String body() {
            int end = data.indexOf("\r\n\r\n");
            return end < 0 ? "" : data.substring(end + 4);
        }

        /** The first link in the body. */
        String link() {
            var m = java.util.regex.Pattern.compile("(http\\S*)").matcher(body());
            if (!m.find()) {
                throw new AssertionError("no link in the mail: " + body());
            }
            return m.group(1);
        }
    }

    private final ServerSocket socket;
    private final Thread thread;
    private final BlockingQueue<Mail> mails = new LinkedBlockingQueue<>();

    private TestSmtpServer(ServerSocket socket) {
        this.socket = socket;
        this.thread = Thread.ofVirtual().start(this::serve);
    }

    static TestSmtpServer start() throws IOException {
        return new TestSmtpServer(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()));
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The next mail, waiting up to ten seconds. */
    Mail awaitMail() throws InterruptedException {
        Mail mail = mails.poll(10, TimeUnit.SECONDS);
        if (mail == null) {
            throw new AssertionError("no mail arrived");
        }
        return mail;
    }

    /** Whether no mail is waiting. */
    boolean noMail() {
        return mails.isEmpty();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(10_000);
                converse(client);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // a broken conversation: wait for the next one
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream();
        reply(out, "220 test SMTP");
        String from = null;
        List<String> to = new ArrayList<>();
        List<String> auth = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String upper = line.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("EHLO")) {
                reply(out, "250-test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
            } else if (upper.startsWith("AUTH PLAIN ")) {
                auth.add(line.substring(11));
                reply(out, "235 ok");
            } else if (upper.startsWith("MAIL FROM:")) {
                from = line.substring(10);
                reply(out, "250 ok");
            } else if (upper.startsWith("RCPT TO:")) {
                to.add(line.substring(8));
                reply(out, "250 ok");
            } else if (upper.equals("DATA")) {
                reply(out, "354 go on");
                StringBuilder data = new StringBuilder();
                String dataLine;
                while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                    data.append(dataLine.startsWith(".") ? dataLine.substring(1) : dataLine)
                            .append("\r\n");
                }
                mails.add(new Mail(from, List.copyOf(to), data.toString(), List.copyOf(auth)));
                reply(out, "250 queued");
            } else if (upper.equals("QUIT")) {
                reply(out, "221 bye");
                return;
            } else {
                reply(out, "500 unknown");
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        socket.close();
        thread.join(5_000);
    }
}
