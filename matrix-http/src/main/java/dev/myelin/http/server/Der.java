package dev.myelin.http.server;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER to re-wrap the private key formats the JDK cannot read directly (PKCS#1 RSA and
 * SEC1 EC keys) into PKCS#8, which it can.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int CONTEXT_0 = 0xA0;

    /** One tag-length-value element; {@code value} is the content octets. */
    record Element(int tag, byte[] value) {
        byte[] encoded() {
            return Der.encode(tag, value);
        }
    }

    private Der() {}

    /** The elements directly inside {@code content} (e.g. a SEQUENCE's content octets). */
    static List<Element> children(byte[] content) {
        List<Element> result = new ArrayList<>();
        int i = 0;
        while (i < content.length) {
            if (i + 2 > content.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            int tag = content[i++] & 0xFF;
            int length = content[i++] & 0xFF;
            if (length >= 0x80) {
                int octets = length & 0x7F;
                if (octets == 0 || octets > 4 || i + octets > content.length) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int k = 0; k < octets; k++) {
                    length = length << 8 | content[i++] & 0xFF;
                }
            }
            if (length < 0 || i + length > content.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            result.add(new Element(tag, Arrays.copyOfRange(content, i, i + length)));
            i += length;
        }
        return result;
    }

    /** The single element that makes up {@code der}. */
    static Element parse(byte[] der) {
        List<Element> all = children(der);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one DER element, found " + all.size());
        }
        return all.getFirst();
    }

    static byte[] encode(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | octets);
            for (int k = octets - 1; k >= 0; k--) {
                out.write(length >>> (8 * k));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... encodedElements) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] e : encodedElements) {
            content.writeBytes(e);
        }
        return encode(SEQUENCE, content.toByteArray());
    }
}
