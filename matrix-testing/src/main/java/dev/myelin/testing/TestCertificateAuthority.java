package dev.myelin.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made for one test, issuing TLS certificates for test host names such as
 * {@code hs1.test}: what a test needs to run homeservers with {@code tls: true} listeners that
 * trust each other through {@code federation_custom_ca_list}, without real certificates. Made with
 * the JDK's {@code keytool} (EC P-256 keys, valid for two days), written as PEM files into a
 * directory the test owns.
 *
 * <pre>{@code
 * TestCertificateAuthority ca = TestCertificateAuthority.create(tempDir);
 * TestCertificateAuthority.Issued hs1 = ca.issue("hs1.test");   // also valid for 127.0.0.1
 * // tls_certificate_path: hs1.certificate(), tls_private_key_path: hs1.privateKey(),
 * // federation_custom_ca_list: [ca.certificate()]
 * HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).build();
 * }</pre>
 */
public final class TestCertificateAuthority {
    private static final String PASSWORD = "changeit";
    private static final String CA_ALIAS = "ca";

    private final Path dir;
    private final Path keyStore;
    private final Path certificate;

    private TestCertificateAuthority(Path dir, Path keyStore, Path certificate) {
        this.dir = dir;
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    /** A certificate and its private key, as PEM files. */
    public record Issued(Path certificate, Path privateKey) {}

    /** Makes a new CA whose files go into {@code dir}. */
    public static TestCertificateAuthority create(Path dir) {
        Path store = dir.resolve("ca.p12");
        Path pem = dir.resolve("ca.pem");
        keytool(
                "-genkeypair",
                "-alias",
                CA_ALIAS,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=Myelin test CA",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                CA_ALIAS,
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                pem.toString());
        return new TestCertificateAuthority(dir, store, pem);
    }

    /** The CA's certificate (PEM), for {@code federation_custom_ca_list}. */
    public Path certificate() {
        return certificate;
    }

    /**
     * Issues a server certificate for {@code hostName} and for the loopback addresses (so clients
     * that connect to {@code 127.0.0.1} can check it too).
     */
    public Issued issue(String hostName) {
        Path store = dir.resolve(hostName + ".p12");
        Path request = dir.resolve(hostName + ".csr");
        Path pem = dir.resolve(hostName + ".crt");
        Path key = dir.resolve(hostName + ".key");
        keytool(
                "-genkeypair",
                "-alias",
                hostName,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + hostName,
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                "-certreq",
                "-alias",
                hostName,
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                request.toString());
        keytool(
                "-gencert",
                "-rfc",
                "-alias",
                CA_ALIAS,
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-infile",
                request.toString(),
                "-outfile",
                pem.toString(),
                "-validity",
                "2",
                "-ext",
                "san=dns:" + hostName + ",ip:127.0.0.1,ip:::1",
                "-ext",
                "eku=serverAuth");
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            PrivateKey privateKey = (PrivateKey) ks.getKey(hostName, PASSWORD.toCharArray());
            Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key keytool made", e);
        }
        return new Issued(pem, key);
    }

    /** A TLS context trusting this CA only, for a test's own HTTPS client. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            List<X509Certificate> cas = new ArrayList<>();
            try (InputStream in = Files.newInputStream(certificate)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    cas.add((X509Certificate) c);
                }
            }
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context for the test CA", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed (" + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
    }
}
