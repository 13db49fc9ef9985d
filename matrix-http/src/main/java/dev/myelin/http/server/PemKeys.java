package dev.myelin.http.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a certificate chain and private key from PEM files as certbot and openssl write them,
 * into an in-memory {@link KeyStore}, with the JDK alone.
 *
 * <p>Certificates: one or more {@code CERTIFICATE} blocks, leaf first (certbot's
 * {@code fullchain.pem}). Keys: {@code PRIVATE KEY} (PKCS#8: RSA, EC, Ed25519, Ed448),
 * {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1 with its named curve).
 * Encrypted keys are refused: a server cannot prompt for a passphrase.
 */
final class PemKeys {

    /** The password of the in-memory key store; it never touches disk. */
    static final String STORE_PASSWORD = "myelin";

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ALGORITHM =
            Der.sequence(Der.encode(Der.OID, hex("2A864886F70D010101")), Der.encode(Der.NULL, new byte[0]));
    private static final byte[] EC_PUBLIC_KEY_OID = Der.encode(Der.OID, hex("2A8648CE3D0201"));
    private static final byte[] VERSION_0 = Der.encode(Der.INTEGER, new byte[] {0});

    private PemKeys() {}

    /**
     * A key store holding the key under alias {@code server} with the chain, protected by
     * {@link #STORE_PASSWORD}.
     *
     * @throws IllegalArgumentException if a file is unreadable, malformed, or the key does not
     *     belong to the first certificate
     */
    static KeyStore load(Path certificatePem, Path keyPem) {
        List<X509Certificate> chain = certificates(read(certificatePem), certificatePem);
        PrivateKey key = privateKey(read(keyPem), keyPem);
        requireMatch(key, chain.getFirst().getPublicKey(), certificatePem, keyPem);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build a key store from " + certificatePem + " and " + keyPem, e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private record Block(String type, String body) {
        byte[] der() {
            return Base64.getMimeDecoder().decode(body);
        }
    }

    private static List<Block> blocks(String pem) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return blocks;
    }

    static List<X509Certificate> certificates(String pem, Path source) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(pem)) {
                if (block.type().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed certificate in " + source + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no CERTIFICATE block in " + source);
        }
        return chain;
    }

    static PrivateKey privateKey(String pem, Path source) {
        for (Block block : blocks(pem)) {
            try {
                switch (block.type()) {
                    case "PRIVATE KEY" -> {
                        return pkcs8(block.der());
                    }
                    case "RSA PRIVATE KEY" -> {
                        requireUnencrypted(block, source);
                        return pkcs8(Der.sequence(VERSION_0, RSA_ALGORITHM, Der.encode(Der.OCTET_STRING, block.der())));
                    }
                    case "EC PRIVATE KEY" -> {
                        requireUnencrypted(block, source);
                        return pkcs8(sec1ToPkcs8(block.der()));
                    }
                    case "ENCRYPTED PRIVATE KEY" ->
                        throw new IllegalArgumentException(
                                "the key in " + source + " is encrypted; store it without a passphrase");
                    default -> {
                        // e.g. "EC PARAMETERS" before an EC key: not the key itself.
                    }
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().contains(source.toString())) {
                    throw (IllegalArgumentException) e;
                }
                throw new IllegalArgumentException("malformed private key in " + source + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block in " + source);
    }

    private static void requireUnencrypted(Block block, Path source) {
        if (block.body().contains("Proc-Type:")) {
            throw new IllegalArgumentException("the key in " + source + " is encrypted; store it without a passphrase");
        }
    }

    /** SEC1 {@code ECPrivateKey} names its curve in the [0] field; PKCS#8 wants it in the algorithm. */
    private static byte[] sec1ToPkcs8(byte[] sec1) {
        Der.Element outer = Der.parse(sec1);
        byte[] curve = null;
        for (Der.Element e : Der.children(outer.value())) {
            if (e.tag() == Der.CONTEXT_0) {
                curve = Der.parse(e.value()).encoded();
            }
        }
        if (curve == null) {
            throw new IllegalArgumentException("EC key without its named curve");
        }
        return Der.sequence(VERSION_0, Der.sequence(EC_PUBLIC_KEY_OID, curve), Der.encode(Der.OCTET_STRING, sec1));
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                last = e;
            }
        }
        throw new InvalidKeySpecException("not an RSA, EC or EdDSA key", last);
    }

    /** Refuses a key that does not belong to the certificate, e.g. while only one file is replaced. */
    private static void requireMatch(PrivateKey key, PublicKey certificateKey, Path cert, Path keyPath) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> null;
            default -> key.getAlgorithm();
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "myelin key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException(
                    "the key in " + keyPath + " does not belong to the first certificate in " + cert);
        }
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
