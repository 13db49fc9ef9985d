package dev.myelin.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** Ed25519 through the JDK provider, keyed by the raw 32-byte seeds and public keys Matrix uses. */
final class Ed25519 {
    static final int KEY_LENGTH = 32;
    static final int SIGNATURE_LENGTH = 64;
    static final String ALGORITHM = "Ed25519";

    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410); the raw key follows. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519() {}

    /**
     * The key pair for a seed. The JDK has no public "derive from seed" call, so the generator is
     * fed the seed as its randomness (it draws exactly the 32 private key bytes); the resulting
     * private key is checked to be the seed, so a provider that behaves differently fails loudly.
     */
    static KeyPair keyPairFromSeed(byte[] seed) {
        if (seed.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an ed25519 seed is " + KEY_LENGTH + " bytes, not " + seed.length);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] generated = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            if (!Arrays.equals(generated, seed)) {
                throw new IllegalStateException("the Ed25519 provider did not use the given seed");
            }
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    static PublicKey publicKey(byte[] raw) {
        if (raw.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an ed25519 public key is " + KEY_LENGTH + " bytes, not " + raw.length);
        }
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_LENGTH);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, KEY_LENGTH);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid ed25519 public key: " + e.getMessage(), e);
        }
    }

    static byte[] rawPublicKey(PublicKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - KEY_LENGTH, der.length);
    }

    /**
     * Signs with Bouncy Castle's RFC 8032 implementation: the JDK provider's pure-Java arithmetic
     * took about 420 µs per signature (a third of the CPU of every sent message), this about a
     * tenth of that. The keys themselves stay JDK objects; only the arithmetic is swapped, and the
     * spec's test vectors pin the result.
     */
    static byte[] sign(byte[] seed, byte[] rawPublicKey, byte[] message) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
                seed, 0, rawPublicKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** Verifies with Bouncy Castle; an invalid key or signature encoding is a failed verification. */
    static boolean verify(byte[] rawPublicKey, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH || rawPublicKey.length != KEY_LENGTH) {
            return false;
        }
        try {
            return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
                    signature, 0, rawPublicKey, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Randomness that yields the seed once; only used to derive a key pair from a seed. */
    private static final class SeedRandom extends SecureRandom {
        private final byte[] seed;
        private int offset;

        SeedRandom(byte[] seed) {
            super();
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (offset + bytes.length > seed.length) {
                throw new IllegalStateException("the Ed25519 provider asked for more than the seed");
            }
            System.arraycopy(seed, offset, bytes, 0, bytes.length);
            offset += bytes.length;
        }
    }
}
