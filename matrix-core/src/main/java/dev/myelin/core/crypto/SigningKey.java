package dev.myelin.core.crypto;

import dev.myelin.core.id.SigningKeyId;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A server's ed25519 signing key: the 32-byte seed and its key id ({@code ed25519:version}).
 * It signs bytes; {@link JsonSigning} signs JSON with it.
 *
 * <p>{@link #toString()} never shows the seed.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#signing-details">Signing details</a>
 */
public final class SigningKey {
    private final SigningKeyId keyId;
    private final byte[] seed;
    private final PrivateKey privateKey;
    private final VerifyKey verifyKey;

    private SigningKey(SigningKeyId keyId, byte[] seed) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        if (!SigningKeyId.ED25519.equals(keyId.algorithm())) {
            throw new IllegalArgumentException("only ed25519 signing keys are supported, not " + keyId);
        }
        this.seed = seed.clone();
        KeyPair pair = Ed25519.keyPairFromSeed(this.seed);
        this.privateKey = pair.getPrivate();
        this.verifyKey = VerifyKey.fromPublicKey(pair.getPublic());
    }

    /** A new random key with id {@code ed25519:<version>}. */
    public static SigningKey generate(String version) {
        byte[] seed = new byte[Ed25519.KEY_LENGTH];
        new SecureRandom().nextBytes(seed);
        return new SigningKey(SigningKeyId.ed25519(version), seed);
    }

    /** The key with this 32-byte seed and id {@code ed25519:<version>}. */
    public static SigningKey fromSeed(String version, byte[] seed) {
        return new SigningKey(SigningKeyId.ed25519(version), Objects.requireNonNull(seed, "seed"));
    }

    /** The key with this seed, given in unpadded base64, and id {@code ed25519:<version>}. */
    public static SigningKey fromSeed(String version, String base64Seed) {
        return fromSeed(version, UnpaddedBase64.decode(base64Seed));
    }

    /**
     * The key's id, e.g. {@code ed25519:a_bcde}, named in signatures.
     *
     * @return the key id
     */
    public SigningKeyId keyId() {
        return keyId;
    }

    /** The 32-byte seed; treat it as a secret. */
    public byte[] seed() {
        return seed.clone();
    }

    /** The ed25519 signature (64 bytes) of {@code message}. */
    public byte[] sign(byte[] message) {
        return Ed25519.sign(seed, verifyKey.bytes(), message);
    }

    /** The public half, to publish and to verify with. */
    public VerifyKey verifyKey() {
        return verifyKey;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigningKey that && keyId.equals(that.keyId) && Arrays.equals(seed, that.seed);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + " " + verifyKey.toBase64() + "]";
    }
}
