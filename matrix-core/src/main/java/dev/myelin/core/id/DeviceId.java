package dev.myelin.core.id;

/**
 * A device id: an opaque string chosen by the client or the server, unique per user. The spec puts
 * no grammar on it beyond being a non-empty string; we also refuse NUL and more than 255 bytes.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#relationship-between-access-tokens-and-devices">Devices</a>
 */
public record DeviceId(String value) implements Comparable<DeviceId> {
    private static final String KIND = "device id";

    /**
     * Checks the device id against its grammar.
     *
     * @throws InvalidIdentifierException if it does not follow it
     */
    public DeviceId {
        if (value == null || value.isEmpty()) {
            throw new InvalidIdentifierException(KIND + " must not be empty");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidIdentifierException(KIND + " must not contain NUL");
        }
        Grammar.requireLength(KIND, value);
    }

    /**
     * Parses a device id.
     *
     * @param value the device id as a string
     * @return the device id
     * @throws InvalidIdentifierException if it does not follow the grammar
     */
    public static DeviceId parse(String value) {
        return new DeviceId(value);
    }

    @Override
    public int compareTo(DeviceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
