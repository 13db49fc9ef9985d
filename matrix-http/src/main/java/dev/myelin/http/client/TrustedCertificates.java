package dev.myelin.http.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Certificate authorities the outbound client trusts in addition to the system's (Synapse's
 * {@code federation_custom_ca_list}): for servers whose certificates a private CA signed, such as
 * a push gateway or an internal federation peer. The system CAs are always trusted too; this only
 * adds to them, and host names are verified against the certificate as usual.
 *
 * <p>{@link #unverified()} is the exception: no certificate is checked at all (Synapse's {@code
 * federation_verify_certificates: false} and its {@code
 * federation_certificate_verification_whitelist}), for test networks and private federations whose
 * servers have self-signed certificates. Anyone on the path can then read and change the traffic.
 *
 * @param certificates the extra CA certificates; empty trusts the system CAs only
 * @param verify whether certificates and host names are checked at all
 */
public record TrustedCertificates(List<X509Certificate> certificates, boolean verify) {
    /** Copies the list. */
    public TrustedCertificates {
        certificates = List.copyOf(certificates);
    }

    /** The system CAs and {@code certificates}, verified. */
    public TrustedCertificates(List<X509Certificate> certificates) {
        this(certificates, true);
    }

    /** Any certificate for any name: nothing is verified. */
    public static TrustedCertificates unverified() {
        return new TrustedCertificates(List.of(), false);
    }

    /** The system CAs only. */
    public static TrustedCertificates system() {
        return new TrustedCertificates(List.of());
    }

    /**
     * Reads every {@code CERTIFICATE} in each PEM (or DER) file.
     *
     * @throws IllegalArgumentException naming the file that cannot be read or holds no certificate
     */
    public static TrustedCertificates fromFiles(Collection<Path> files) {
        List<X509Certificate> all = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                Collection<? extends Certificate> read =
                        CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (read.isEmpty()) {
                    throw new IllegalArgumentException(file + " holds no certificate");
                }
                read.forEach(c -> all.add((X509Certificate) c));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            } catch (CertificateException e) {
                throw new IllegalArgumentException(file + " is not a PEM or DER certificate: " + e.getMessage(), e);
            }
        }
        return new TrustedCertificates(all);
    }

    /** Whether only the system CAs are trusted, with certificates verified. */
    public boolean isSystemOnly() {
        return verify && certificates.isEmpty();
    }

    /**
     * A trust store holding the system CAs and these: what the client's TLS layer is given, since
     * a trust store replaces the system one rather than adding to it.
     */
    KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            int i = 0;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + i++, ca);
                    }
                }
            }
            for (X509Certificate ca : certificates) {
                store.setCertificateEntry("custom-" + i++, ca);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new OutboundHttpException("cannot build the outbound trust store", e);
        }
    }
}
