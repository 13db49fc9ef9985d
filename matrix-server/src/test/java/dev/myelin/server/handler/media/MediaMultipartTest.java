package dev.myelin.server.handler.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MediaMultipartTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String mediaOf(MediaMultipart.MediaPart part, byte[] body) {
        return new String(
                Arrays.copyOfRange(body, part.offset(), part.offset() + part.length()), StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsWhatItWrites() {
        String boundary = MediaMultipart.newBoundary(new SecureRandom());
        byte[] content = bytes("a\r\n--not the boundary\r\nb");
        byte[] head = MediaMultipart.head(boundary, "text/plain", "inline; filename=\"a.txt\"");
        byte[] tail = MediaMultipart.tail(boundary);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);

        MediaMultipart.MediaPart part = MediaMultipart.parse(MediaMultipart.contentType(boundary), body);
        assertThat(mediaOf(part, body)).isEqualTo("a\r\n--not the boundary\r\nb");
        assertThat(part.header("content-type")).hasValue("text/plain");
        assertThat(part.header("content-disposition")).hasValue("inline; filename=\"a.txt\"");
    }

    @Test
    void acceptsAQuotedBoundaryAPreambleAndAnEpilogue() {
        byte[] body = bytes("preamble\r\n--b1\r\nContent-Type: application/json; charset=utf-8\r\n\r\n{}\r\n"
                + "--b1\r\nLocation: https://example.org/x\r\n\r\n\r\n--b1--\r\nepilogue");
        MediaMultipart.MediaPart part = MediaMultipart.parse("Multipart/Mixed; boundary=\"b1\"", body);
        assertThat(part.header("location")).hasValue("https://example.org/x");
        assertThat(part.length()).isZero();
    }

    @Test
    void refusesWhatIsNotTwoPartsInsideTheBoundary() {
        String ok =
                "--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--";
        assertThat(mediaOf(MediaMultipart.parse("multipart/mixed; boundary=b", bytes(ok)), bytes(ok)))
                .isEqualTo("x");
        String[][] bad = {
            {"text/plain", ok},
            {"multipart/mixed", ok},
            {"multipart/mixed; boundary=", ok},
            {"multipart/mixed; boundary=" + "x".repeat(71), ok},
            {"multipart/mixed; boundary=c", ok},
            {"multipart/mixed; boundary=b", "--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b--"},
            {"multipart/mixed; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\n{}\r\n--b\r\n\r\nx\r\n--b--"},
            {"multipart/mixed; boundary=b", "--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b\r\n\r\nx"},
            {
                "multipart/mixed; boundary=b",
                "--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b\r\nno colon\r\n\r\nx\r\n--b--"
            },
            {
                "multipart/mixed; boundary=b",
                "--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b\r\n\r\nx\r\n--b\r\n\r\ny\r\n--b--"
            },
            {"multipart/mixed; boundary=b", "--b\r\nContent-Type: application/json"},
            {"multipart/mixed; boundary=b", ""},
        };
        for (String[] c : bad) {
            assertThatThrownBy(() -> MediaMultipart.parse(c[0], bytes(c[1])))
                    .as(c[0] + " / " + c[1])
                    .isInstanceOf(MediaMultipart.MalformedException.class);
        }
    }
}
