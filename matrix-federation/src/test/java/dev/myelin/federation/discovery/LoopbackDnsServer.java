package dev.myelin.federation.discovery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DNS server on loopback UDP that answers SRV questions from a map, so the JNDI-based lookup
 * can be tested without real DNS. Names it does not know get NXDOMAIN; names mapped to {@code
 * null} records exist without SRV records; {@link #failing} names get SERVFAIL.
 */
final class LoopbackDnsServer implements AutoCloseable {
    private static final int SRV = 33;
    private static final int NXDOMAIN = 3;
    private static final int SERVFAIL = 2;

    private final DatagramSocket socket;
    private final Map<String, List<SrvRecord>> records = new ConcurrentHashMap<>();
    private final List<String> failing = new ArrayList<>();
    private final Thread thread;

    LoopbackDnsServer() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().name("loopback-dns").start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    void srv(String name, SrvRecord... answers) {
        records.put(name.toLowerCase(Locale.ROOT), List.of(answers));
    }

    void failing(String name) {
        failing.add(name.toLowerCase(Locale.ROOT));
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] reply = answer(Arrays.copyOf(packet.getData(), packet.getLength()));
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private byte[] answer(byte[] query) {
        // the question starts after the 12-byte header: labels, a zero byte, type and class
        int end = 12;
        StringBuilder name = new StringBuilder();
        while (query[end] != 0) {
            int length = query[end];
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(query, end + 1, length, StandardCharsets.US_ASCII));
            end += length + 1;
        }
        int type = ((query[end + 1] & 0xff) << 8) | (query[end + 2] & 0xff);
        end += 5;
        String key = name.toString().toLowerCase(Locale.ROOT);
        int rcode = failing.contains(key) ? SERVFAIL : records.containsKey(key) ? 0 : NXDOMAIN;
        List<SrvRecord> answers = rcode == 0 && type == SRV ? records.get(key) : List.of();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(query, 0, 2); // id
        out.write(0x81); // response, recursion desired
        out.write(0x80 | rcode); // recursion available
        writeShort(out, 1);
        writeShort(out, answers.size());
        writeShort(out, 0);
        writeShort(out, 0);
        out.write(query, 12, end - 12);
        for (SrvRecord record : answers) {
            writeShort(out, 0xc00c); // the question's name
            writeShort(out, SRV);
            writeShort(out, 1); // IN
            out.writeBytes(ByteBuffer.allocate(4).putInt(300).array());
            byte[] target = encodeName(record.target());
            writeShort(out, 6 + target.length);
            writeShort(out, record.priority());
            writeShort(out, record.weight());
            writeShort(out, record.port());
            out.writeBytes(target);
        }
        return out.toByteArray();
    }

    private static byte[] encodeName(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!name.equals(".")) {
            for (String label : name.split("\\.")) {
                out.write(label.length());
                out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xff);
        out.write(value & 0xff);
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join();
    }
}
