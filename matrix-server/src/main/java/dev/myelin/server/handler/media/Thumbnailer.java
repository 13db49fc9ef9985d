package dev.myelin.server.handler.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Image operations for thumbnails, on the JDK's ImageIO (PNG, JPEG, GIF, BMP). Dimensions are read
 * from the image header before anything is decoded, so a small file claiming a huge image (a
 * decompression bomb) is refused without allocating its pixels.
 */
final class Thumbnailer {
    private static final float JPEG_QUALITY = 0.85f;

    private Thumbnailer() {}

    /** What an image's header says. */
    record ImageInfo(String format, int width, int height) {
        long pixels() {
            return (long) width * height;
        }
    }

    /** A generated thumbnail. */
    record Thumbnail(byte[] bytes, String contentType, int width, int height) {}

    /** Thrown when a file is not an image ImageIO can read, or is corrupt. */
    static final class NotAnImageException extends Exception {
        NotAnImageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reads only the header: format and dimensions of the first image. */
    static ImageInfo probe(Path file) throws NotAnImageException {
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            ImageReader reader = reader(in);
            try {
                reader.setInput(in, true, true);
                return new ImageInfo(
                        reader.getFormatName().toLowerCase(Locale.ROOT), reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new NotAnImageException("cannot read the image header", e);
        }
    }

    /** Reads the header of image bytes (for URL previews); empty if they are not an image. */
    static Optional<ImageInfo> probe(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            ImageReader reader = reader(in);
            try {
                reader.setInput(in, true, true);
                return Optional.of(new ImageInfo(
                        reader.getFormatName().toLowerCase(Locale.ROOT), reader.getWidth(0), reader.getHeight(0)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException | NotAnImageException e) {
            return Optional.empty();
        }
    }

    private static ImageReader reader(ImageInputStream in) throws NotAnImageException {
        if (in == null) {
            throw new NotAnImageException("no input", null);
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new NotAnImageException("not an image format this server reads", null);
        }
        return readers.next();
    }

    /** The size of a thumbnail of a {@code width x height} image for a target size and method. */
    static int[] outputSize(int width, int height, int targetWidth, int targetHeight, ThumbnailMethod method) {
        int[] crop = sourceRegion(width, height, targetWidth, targetHeight, method);
        if (method == ThumbnailMethod.SCALE) {
            double f = Math.min(1.0, Math.min((double) targetWidth / width, (double) targetHeight / height));
            return new int[] {Math.max(1, (int) Math.round(width * f)), Math.max(1, (int) Math.round(height * f))};
        }
        // crop: the target size when the image is big enough, else the target's aspect at 1:1
        return new int[] {Math.min(targetWidth, crop[2]), Math.min(targetHeight, crop[3])};
    }

    /** The part of the image a thumbnail shows: {x, y, width, height}. */
    static int[] sourceRegion(int width, int height, int targetWidth, int targetHeight, ThumbnailMethod method) {
        if (method == ThumbnailMethod.SCALE) {
            return new int[] {0, 0, width, height};
        }
        double targetAspect = (double) targetWidth / targetHeight;
        int w;
        int h;
        if ((double) width / height > targetAspect) {
            h = height;
            w = Math.max(1, Math.min(width, (int) Math.round(height * targetAspect)));
        } else {
            w = width;
            h = Math.max(1, Math.min(height, (int) Math.round(width / targetAspect)));
        }
        return new int[] {(width - w) / 2, (height - h) / 2, w, h};
    }

    /**
     * Decodes the first frame of {@code file} and makes a thumbnail of it: PNG, or JPEG for JPEG
     * sources. The caller has checked {@link #probe} against its pixel limit.
     */
    static Thumbnail generate(Path file, int targetWidth, int targetHeight, ThumbnailMethod method)
            throws NotAnImageException {
        BufferedImage source;
        String format;
        int[] region;
        int[] out;
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            ImageReader reader = reader(in);
            try {
                reader.setInput(in, true, true);
                format = reader.getFormatName().toLowerCase(Locale.ROOT);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                region = sourceRegion(width, height, targetWidth, targetHeight, method);
                out = outputSize(width, height, targetWidth, targetHeight, method);
                // decode only the region, skipping rows and columns far beyond what the thumbnail needs
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceRegion(new java.awt.Rectangle(region[0], region[1], region[2], region[3]));
                int step = Math.max(1, Math.min(region[2] / (out[0] * 2), region[3] / (out[1] * 2)));
                param.setSourceSubsampling(step, step, 0, 0);
                source = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new NotAnImageException("cannot decode the image", e);
        }
        boolean jpeg = format.equals("jpeg") || format.equals("jpg");
        BufferedImage scaled =
                resize(source, out[0], out[1], !jpeg && source.getColorModel().hasAlpha());
        return new Thumbnail(encode(scaled, jpeg), jpeg ? "image/jpeg" : "image/png", out[0], out[1]);
    }

    /** Scales in halving steps, then once bicubically, so large reductions do not alias. */
    private static BufferedImage resize(BufferedImage image, int width, int height, boolean alpha) {
        BufferedImage current = image;
        int w = current.getWidth();
        int h = current.getHeight();
        do {
            w = w / 2 >= width ? w / 2 : width;
            h = h / 2 >= height ? h / 2 : height;
            BufferedImage next =
                    new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                if (!alpha) {
                    g.setColor(java.awt.Color.WHITE);
                    g.fillRect(0, 0, w, h);
                }
                g.drawImage(current, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            current = next;
        } while (w != width || h != height);
        return current;
    }

    private static byte[] encode(BufferedImage image, boolean jpeg) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriter writer =
                    ImageIO.getImageWritersByFormatName(jpeg ? "jpeg" : "png").next();
            try {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                if (jpeg) {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionQuality(JPEG_QUALITY);
                }
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a thumbnail", e);
        }
        return bytes.toByteArray();
    }
}
