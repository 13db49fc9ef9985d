package dev.myelin.server.config;

import java.util.Locale;

/** Sizes written the way Synapse configs write them: {@code 50M}, {@code 1G}, {@code 512K}, {@code 1024}. */
final class ByteSize {
    private ByteSize() {}

    static long parse(ConfigNode node, long defaultValue) {
        String text = node.string().orElse(null);
        if (text == null) {
            return defaultValue;
        }
        String trimmed = text.trim().toUpperCase(Locale.ROOT);
        long multiplier = 1;
        char last = trimmed.isEmpty() ? ' ' : trimmed.charAt(trimmed.length() - 1);
        switch (last) {
            case 'K' -> multiplier = 1024L;
            case 'M' -> multiplier = 1024L * 1024;
            case 'G' -> multiplier = 1024L * 1024 * 1024;
            default -> {}
        }
        String digits = multiplier == 1 ? trimmed : trimmed.substring(0, trimmed.length() - 1);
        try {
            long value = Long.parseLong(digits);
            if (value <= 0) {
                throw node.error("must be a positive size such as 50M");
            }
            return Math.multiplyExact(value, multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw node.error("must be a size such as 50M, 512K or 1G");
        }
    }
}
