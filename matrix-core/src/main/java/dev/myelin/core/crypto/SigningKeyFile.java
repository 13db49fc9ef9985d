package dev.myelin.core.crypto;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.SigningKeyId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes signing key files in the format Synapse uses, so keys move between servers:
 * one key per line, {@code ed25519 <version> <unpadded base64 seed>}. Blank lines are ignored;
 * anything else malformed throws {@link SigningKeyFileException} naming the line.
 */
public final class SigningKeyFile {
    private SigningKeyFile() {}

    /** Parses the keys in {@code text}, in file order. */
    public static List<SigningKey> parse(String text) {
        List<SigningKey> keys = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                keys.add(parseLine(i + 1, line));
            }
        }
        return List.copyOf(keys);
    }

    /** Reads the keys in the UTF-8 file at {@code path}. */
    public static List<SigningKey> read(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read signing key file " + path, e);
        }
    }

    /** The file text for {@code keys}: one line each, each ending in a newline. */
    public static String format(List<SigningKey> keys) {
        StringBuilder out = new StringBuilder();
        for (SigningKey key : keys) {
            out.append(key.keyId().algorithm())
                    .append(' ')
                    .append(key.keyId().version())
                    .append(' ')
                    .append(UnpaddedBase64.encode(key.seed()))
                    .append('\n');
        }
        return out.toString();
    }

    /** Writes {@code keys} to {@code path}, replacing it. */
    public static void write(Path path, List<SigningKey> keys) {
        try {
            Files.writeString(path, format(keys), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write signing key file " + path, e);
        }
    }

    private static SigningKey parseLine(int number, String line) {
        String[] parts = line.split("\\s+");
        if (parts.length != 3) {
            throw new SigningKeyFileException("signing key file line " + number
                    + ": expected 'ed25519 <version> <base64 seed>', found " + parts.length + " fields");
        }
        if (!SigningKeyId.ED25519.equals(parts[0])) {
            throw new SigningKeyFileException("signing key file line " + number + ": unsupported algorithm '" + parts[0]
                    + "', only ed25519 is supported");
        }
        try {
            SigningKeyId.ed25519(parts[1]);
        } catch (InvalidIdentifierException e) {
            throw new SigningKeyFileException("signing key file line " + number + ": " + e.getMessage(), e);
        }
        byte[] seed;
        try {
            seed = UnpaddedBase64.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SigningKeyFileException("signing key file line " + number + ": seed is not base64", e);
        }
        if (seed.length != Ed25519.KEY_LENGTH) {
            throw new SigningKeyFileException("signing key file line " + number + ": seed is " + seed.length
                    + " bytes, an ed25519 seed is " + Ed25519.KEY_LENGTH);
        }
        return SigningKey.fromSeed(parts[1], seed);
    }
}
