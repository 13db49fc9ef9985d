package dev.myelin.server.api.media;

import static dev.myelin.server.api.media.MediaHttp.get;
import static dev.myelin.server.api.media.MediaHttp.thumbnail;
import static dev.myelin.server.api.media.MediaHttp.token;
import static dev.myelin.server.api.media.MediaHttp.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class MediaThumbnailApiTest {

    /** A {@code width x height} image: red left half, blue right half. */
    static byte[] image(int width, int height, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertThat(image).as("a decodable image").isNotNull();
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MediaHttp.Response thumb(TestHomeserver hs, TestClient client, String id, String query) {
        return get(hs, thumbnail(hs, id, query), token(client));
    }

    @Test
    @OverrideConfig(key = "enable_authenticated_media", value = "false")
    void hugeTimeoutsAreClampedOnEveryDownloadAndThumbnailRoute(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, image(100, 100, "png"), "image/png", null);
        String huge = "timeout_ms=" + Long.MAX_VALUE;
        for (String path : new String[] {
            "/_matrix/client/v1/media/download/test.local/" + id + "?" + huge,
            "/_matrix/client/v1/media/download/test.local/" + id + "/a.png?" + huge,
            "/_matrix/media/v3/download/test.local/" + id + "?" + huge,
            "/_matrix/media/v3/download/test.local/" + id + "/a.png?" + huge,
            "/_matrix/client/v1/media/thumbnail/test.local/" + id + "?width=32&height=32&" + huge,
            "/_matrix/media/v3/thumbnail/test.local/" + id + "?width=32&height=32&" + huge
        }) {
            assertThat(get(hs, path, token(alice)).status()).as(path).isEqualTo(200);
        }
        // media that does not exist is answered at once, however long the client offers to wait
        MediaHttp.Response missing =
                get(hs, "/_matrix/client/v1/media/download/test.local/NoSuchMedia?" + huge, token(alice));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errcode()).isEqualTo("M_NOT_FOUND");
        MediaHttp.Response overflow = get(
                hs,
                "/_matrix/client/v1/media/download/test.local/" + id + "?timeout_ms=9223372036854775808",
                token(alice));
        assertThat(overflow.status()).isEqualTo(400);
        assertThat(overflow.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    private static void assertSize(MediaHttp.Response response, String type, int width, int height) {
        response.expect(200);
        assertThat(response.header("Content-Type")).isEqualTo(type);
        BufferedImage image = decode(response.body());
        assertThat(image.getWidth() + "x" + image.getHeight()).isEqualTo(width + "x" + height);
        assertThat(response.header("Content-Disposition")).startsWith("inline; filename=\"thumbnail.");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(response.body().length));
    }

    @Test
    void cropFillsTheSizeAndScaleFitsWithin(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, image(1000, 500, "png"), "image/png", "wide.png");

        assertSize(thumb(hs, alice, id, "width=96&height=96&method=crop"), "image/png", 96, 96);
        assertSize(thumb(hs, alice, id, "width=32&height=32&method=crop"), "image/png", 32, 32);
        assertSize(thumb(hs, alice, id, "width=20&height=20&method=crop"), "image/png", 32, 32);
        // scale keeps the 2:1 aspect inside the standard box that covers the request
        assertSize(thumb(hs, alice, id, "width=320&height=240&method=scale"), "image/png", 320, 160);
        assertSize(thumb(hs, alice, id, "width=100&height=100"), "image/png", 320, 160);
        assertSize(thumb(hs, alice, id, "width=640&height=480&method=scale"), "image/png", 640, 320);
        assertSize(thumb(hs, alice, id, "width=800&height=600&method=scale"), "image/png", 800, 400);
        // bigger than every standard size: the largest one, never an upscale
        assertSize(thumb(hs, alice, id, "width=2000&height=2000&method=scale"), "image/png", 1000, 500);

        // crop takes the centre: a 96x96 crop of a red|blue image has both colours
        BufferedImage crop =
                decode(thumb(hs, alice, id, "width=96&height=96&method=crop").body());
        assertThat(new Color(crop.getRGB(5, 48)).getRed()).isGreaterThan(200);
        assertThat(new Color(crop.getRGB(90, 48)).getBlue()).isGreaterThan(200);
    }

    @Test
    void thumbnailsAreMadeOnceAndKept(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, image(400, 300, "png"), "image/png", null);
        byte[] first = thumb(hs, alice, id, "width=96&height=96&method=crop")
                .expect(200)
                .body();
        byte[] second = thumb(hs, alice, id, "width=90&height=90&method=crop")
                .expect(200)
                .body();
        assertThat(second).isEqualTo(first);
        assertThat(hs.homeserver().testSeam().media().thumbnails(id))
                .singleElement()
                .satisfies(t -> assertThat(t.width() + "x" + t.height() + " " + t.method() + " " + t.contentType())
                        .isEqualTo("96x96 crop image/png"));
    }

    @Test
    void jpegsGetJpegThumbnails(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, image(640, 480, "jpeg"), "image/jpeg", null);
        assertSize(thumb(hs, alice, id, "width=96&height=96&method=crop"), "image/jpeg", 96, 96);
        assertSize(thumb(hs, alice, id, "width=320&height=240"), "image/jpeg", 320, 240);
    }

    @Test
    void imagesSmallerThanTheRequestAreServedAsTheyAre(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        byte[] small = image(50, 40, "png");
        String id = upload(hs, alice, small, "image/png", null);
        MediaHttp.Response response =
                thumb(hs, alice, id, "width=96&height=96&method=crop").expect(200);
        assertThat(response.body()).isEqualTo(small);
        assertThat(response.header("Content-Type")).isEqualTo("image/png");
        // tall and narrow: a crop never upscales, it keeps the asked-for aspect within the original
        String tall = upload(hs, alice, image(60, 400, "png"), "image/png", null);
        assertSize(thumb(hs, alice, tall, "width=96&height=96&method=crop"), "image/png", 60, 60);
    }

    @Test
    void animatedGifsStayAnimatedOnlyWhenAskedFor(TestHomeserver hs) throws IOException {
        TestClient alice = hs.registerUser("alice");
        byte[] gif = animatedGif(200, 200);
        String id = upload(hs, alice, gif, "image/gif", null);
        MediaHttp.Response animated = thumb(hs, alice, id, "width=96&height=96&method=crop&animated=true")
                .expect(200);
        assertThat(animated.header("Content-Type")).isEqualTo("image/gif");
        assertThat(animated.body()).isEqualTo(gif);
        assertSize(thumb(hs, alice, id, "width=96&height=96&method=crop"), "image/png", 96, 96);
        assertSize(thumb(hs, alice, id, "width=96&height=96&method=crop&animated=false"), "image/png", 96, 96);
        // even when the GIF is smaller than asked, a still is served unless animation is wanted
        String small = upload(hs, alice, animatedGif(40, 30), "image/gif", null);
        assertSize(thumb(hs, alice, small, "width=96&height=96&method=crop"), "image/png", 40, 30);
    }

    @Test
    void contentThatIsNotAReadableImageIsRefused(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String garbage = upload(hs, alice, "definitely not a png".getBytes(StandardCharsets.UTF_8), "image/png", null);
        MediaHttp.Response response = thumb(hs, alice, garbage, "width=32&height=32");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errcode()).isEqualTo("M_UNKNOWN");

        byte[] png = image(400, 300, "png");
        String truncated = upload(hs, alice, Arrays.copyOf(png, 100), "image/png", null);
        MediaHttp.Response broken = thumb(hs, alice, truncated, "width=32&height=32&method=crop");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.errcode()).isEqualTo("M_UNKNOWN");

        String text = upload(hs, alice, "hello".getBytes(StandardCharsets.UTF_8), "text/plain", null);
        assertThat(thumb(hs, alice, text, "width=32&height=32").errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void decompressionBombsAreRefusedFromTheirHeader(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String bomb = upload(hs, alice, pngClaiming(100_000, 100_000), "image/png", "bomb.png");
        MediaHttp.Response response = thumb(hs, alice, bomb, "width=32&height=32&method=crop");
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.errcode()).isEqualTo("M_TOO_LARGE");
        // the original can still be downloaded as a file
        assertThat(get(hs, MediaHttp.download(hs, bomb), token(alice)).status()).isEqualTo(200);
    }

    @Test
    void badThumbnailParametersAreRefused(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String id = upload(hs, alice, image(100, 100, "png"), "image/png", null);
        assertThat(thumb(hs, alice, id, "height=32").errcode()).isEqualTo("M_MISSING_PARAM");
        assertThat(thumb(hs, alice, id, "width=32").errcode()).isEqualTo("M_MISSING_PARAM");
        for (String query : new String[] {
            "width=abc&height=32",
            "width=0&height=32",
            "width=-1&height=32",
            "width=32&height=99999999999",
            "width=32&height=32&method=stretch",
            "width=32&height=32&animated=maybe",
            "width=32&height=32&timeout_ms=x"
        }) {
            MediaHttp.Response response = thumb(hs, alice, id, query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.errcode()).as(query).isEqualTo("M_INVALID_PARAM");
        }
        assertThat(thumb(hs, alice, "Unknown", "width=32&height=32").errcode()).isEqualTo("M_NOT_FOUND");
    }

    /** A two-frame GIF. */
    static byte[] animatedGif(int width, int height) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (Color color : new Color[] {Color.RED, Color.GREEN}) {
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = frame.createGraphics();
                g.setColor(color);
                g.fillRect(0, 0, width, height);
                g.dispose();
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A tiny PNG whose header claims {@code width x height} pixels. */
    static byte[] pngClaiming(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13)
                .putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
