package dev.myelin.core.crypto;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * An ed25519 public key that checks signatures, as published by a server under
 * {@code verify_keys} (the raw 32 bytes, written in unpadded base64).
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys">Server keys</a>
 */
public final class VerifyKey {
    private final byte[] raw;
    private final PublicKey publicKey;

    private VerifyKey(byte[] raw) {
        this.raw = raw.clone();
        this.publicKey = Ed25519.publicKey(this.raw);
    }

    /** The key with these 32 raw bytes. */
    public static VerifyKey fromBytes(byte[] raw) {
        return new VerifyKey(Objects.requireNonNull(raw, "raw"));
    }

    /** The key written as unpadded (or padded) standard base64, as in {@code verify_keys}. */
    public static VerifyKey fromBase64(String encoded) {
        return new VerifyKey(UnpaddedBase64.decode(encoded));
    }

    static VerifyKey fromPublicKey(PublicKey key) {
        return new VerifyKey(Ed25519.rawPublicKey(key));
    }

    /** True when {@code signature} is this key's ed25519 signature of {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519.verify(raw, message, signature);
    }

    /** The raw 32-byte public key. */
    public byte[] bytes() {
        return raw.clone();
    }

    /** The public key in unpadded base64, as published in {@code verify_keys}. */
    public String toBase64() {
        return UnpaddedBase64.encode(raw);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifyKey that && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "VerifyKey[" + toBase64() + "]";
    }
}
