package dev.myelin.server.mail;

import dev.myelin.core.time.Clock;
import dev.myelin.server.config.EmailConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends mail over SMTP (RFC 5321) as the {@code email} section says: implicit TLS with {@code
 * force_tls}, else STARTTLS when the server offers it and {@code enable_tls} is on, AUTH PLAIN or
 * LOGIN when {@code smtp_user} is set, and a refusal to send in clear when {@code
 * require_transport_security} is on. One connection per mail; every read is bounded by a timeout,
 * so a silent server fails the send instead of holding the request.
 */
public final class SmtpMailer implements Mailer {
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 30_000;
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<([^>]*)>");

    private final EmailConfig config;
    private final Clock clock;
    private final SSLSocketFactory tls;
    private final SecureRandom random = new SecureRandom();

    public SmtpMailer(EmailConfig config, Clock clock) {
        this(config, clock, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** A mailer whose TLS connections come from {@code tls} (its trust store, for tests). */
    public SmtpMailer(EmailConfig config, Clock clock, SSLSocketFactory tls) {
        this.config = config;
        this.clock = clock;
        this.tls = tls;
    }

    @Override
    public void send(MailMessage message) {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(config.smtpHost(), config.smtpPort()), CONNECT_TIMEOUT_MS);
            plain.setSoTimeout(READ_TIMEOUT_MS);
            Socket socket = config.forceTls() ? upgrade(plain) : plain;
            try {
                converse(socket, message, config.forceTls());
            } finally {
                socket.close();
            }
        } catch (IOException e) {
            throw new MailException("could not send mail through " + config.smtpHost() + ":" + config.smtpPort(), e);
        }
    }

    private void converse(Socket socket, MailMessage message, boolean secure) throws IOException {
        Connection c = new Connection(socket);
        c.expect(220);
        List<String> extensions = greet(c);
        if (!secure && config.enableTls() && offers(extensions, "STARTTLS")) {
            c.command("STARTTLS", 220);
            c = new Connection(upgrade(socket));
            extensions = greet(c);
            secure = true;
        }
        if (!secure && config.requireTransportSecurity()) {
            throw new MailException("the SMTP server offers no TLS and require_transport_security is on");
        }
        if (config.smtpUser().isPresent()) {
            authenticate(c, extensions);
        }
        c.command("MAIL FROM:<" + address(message.from()) + ">", 250);
        c.command("RCPT TO:<" + address(message.to()) + ">", 250, 251);
        c.command("DATA", 354);
        c.write(dotStuffed(render(message)) + ".\r\n");
        c.expect(250);
        // the mail is accepted: how the server answers QUIT changes nothing
        c.write("QUIT\r\n");
    }

    /** EHLO, or HELO (no extensions) for a server that knows only RFC 821. */
    private static List<String> greet(Connection c) throws IOException {
        c.write("EHLO " + localName() + "\r\n");
        List<String> reply = c.reply();
        if (reply.getFirst().startsWith("250")) {
            return reply.stream().map(l -> l.length() > 4 ? l.substring(4) : "").toList();
        }
        c.command("HELO " + localName(), 250);
        return List.of();
    }

    private void authenticate(Connection c, List<String> extensions) throws IOException {
        String user = config.smtpUser().orElseThrow();
        String pass = config.smtpPass().orElse("");
        Base64.Encoder b64 = Base64.getEncoder();
        if (offers(extensions, "AUTH") && authMechanisms(extensions).contains("PLAIN")) {
            byte[] credentials = ("\0" + user + "\0" + pass).getBytes(StandardCharsets.UTF_8);
            c.command("AUTH PLAIN " + b64.encodeToString(credentials), 235);
        } else {
            c.command("AUTH LOGIN", 334);
            c.command(b64.encodeToString(user.getBytes(StandardCharsets.UTF_8)), 334);
            c.command(b64.encodeToString(pass.getBytes(StandardCharsets.UTF_8)), 235);
        }
    }

    private Socket upgrade(Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) tls.createSocket(plain, config.smtpHost(), config.smtpPort(), true);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.startHandshake();
        return socket;
    }

    private String render(MailMessage message) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(clock.nowMillis()).atZone(ZoneOffset.UTC));
        byte[] id = new byte[12];
        random.nextBytes(id);
        String domain = address(message.from()).replaceFirst(".*@", "");
        return "From: " + header(message.from()) + "\r\n"
                + "To: " + header(message.to()) + "\r\n"
                + "Subject: " + header(message.subject()) + "\r\n"
                + "Date: " + date + "\r\n"
                + "Message-ID: <" + HexFormat.of().formatHex(id) + "@" + domain + ">\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + message.text().replace("\r\n", "\n").replace("\n", "\r\n")
                + (message.text().endsWith("\n") ? "" : "\r\n");
    }

    /** A line that starts with a dot gets a second one, so that it cannot end the data (RFC 5321 4.5.2). */
    static String dotStuffed(String data) {
        StringBuilder out = new StringBuilder(data.length() + 16);
        for (String line : data.split("\r\n", -1)) {
            if (!out.isEmpty()) {
                out.append("\r\n");
            }
            out.append(line.startsWith(".") ? "." + line : line);
        }
        return out.toString();
    }

    /** A header value on one line: a client-given value cannot add headers. */
    private static String header(String value) {
        return value.replaceAll("[\r\n]+", " ");
    }

    /** The bare address of {@code Name <addr>}, or the value itself. */
    static String address(String from) {
        Matcher m = ANGLE_ADDRESS.matcher(from);
        String address = m.find() ? m.group(1) : from;
        return address.replaceAll("[\r\n<>]", "").trim();
    }

    private static boolean offers(List<String> extensions, String name) {
        return extensions.stream().anyMatch(e -> e.toUpperCase(Locale.ROOT).startsWith(name));
    }

    private static List<String> authMechanisms(List<String> extensions) {
        List<String> mechanisms = new ArrayList<>();
        for (String e : extensions) {
            String upper = e.toUpperCase(Locale.ROOT);
            if (upper.startsWith("AUTH ") || upper.startsWith("AUTH=")) {
                mechanisms.addAll(List.of(upper.substring(5).trim().split("\\s+")));
            }
        }
        return mechanisms;
    }

    private static String localName() {
        return "localhost";
    }

    /** The text side of one SMTP connection: commands out, (multi-line) replies in. */
    private static final class Connection {
        private final BufferedReader in;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        List<String> command(String line, int... accepted) throws IOException {
            write(line + "\r\n");
            return expect(accepted);
        }

        /** Reads one reply; its lines without the code (EHLO's extensions after the greeting), or throws if the code is not accepted. */
        List<String> expect(int... accepted) throws IOException {
            List<String> raw = reply();
            int code = Integer.parseInt(raw.getFirst().substring(0, 3));
            List<String> lines =
                    raw.stream().map(l -> l.length() > 4 ? l.substring(4) : "").toList();
            for (int ok : accepted) {
                if (ok == code) {
                    return lines;
                }
            }
            throw new MailException("the SMTP server answered " + code + " " + String.join(" ", lines));
        }

        /** Reads one (multi-line) reply, its lines as sent. */
        List<String> reply() throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = in.readLine();
                if (line == null || line.length() < 3) {
                    throw new MailException("the SMTP server closed the connection or sent a bad reply");
                }
                if (!line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                    throw new MailException("the SMTP server sent a bad reply: " + line);
                }
                lines.add(line);
                if (line.length() == 3 || line.charAt(3) != '-') {
                    return lines;
                }
            }
        }
    }
}
