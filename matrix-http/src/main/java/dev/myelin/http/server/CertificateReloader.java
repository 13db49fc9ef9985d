package dev.myelin.http.server;

import dev.myelin.core.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swaps a TLS listener's certificate and key when their PEM files change on disk, so a renewed
 * certificate (certbot replaces the files, or the symlinks to them) is served without a restart.
 *
 * <p>Changes are found by comparing a digest of both files' contents, checked every
 * {@code interval} on the {@link Clock} by one virtual thread, or on demand by
 * {@link #reloadChanged()}. File timestamps are not trusted: they have coarse resolution and
 * renewals can preserve them. A pair that fails to load (e.g. a new certificate whose new key is
 * not written yet) is logged once and the previous pair stays in use; the next change is tried
 * again. Connections already open keep the certificate they were set up with.
 */
final class CertificateReloader {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

    /** One TLS listener: its Jetty context and the files it was built from. */
    static final class Listener {
        private final SslContextFactory.Server ssl;
        private final Path certificate;
        private final Path key;
        private byte[] digest;

        Listener(SslContextFactory.Server ssl, Path certificate, Path key) {
            this.ssl = ssl;
            this.certificate = certificate;
            this.key = key;
            this.digest = digest(certificate, key);
        }
    }

    private final List<Listener> listeners;
    private final Clock clock;
    private final Duration interval;
    private final ReentrantLock lock = new ReentrantLock();
    private Thread watcher;

    CertificateReloader(List<Listener> listeners, Clock clock, Duration interval) {
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
        this.interval = interval;
    }

    /** A Jetty server TLS context for the PEM pair, loaded now so a bad pair fails start-up. */
    static SslContextFactory.Server context(Path certificate, Path key) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(PemKeys.load(certificate, key));
        ssl.setKeyStorePassword(PemKeys.STORE_PASSWORD);
        ssl.setKeyManagerPassword(PemKeys.STORE_PASSWORD);
        // Clients reach homeservers by IP, by delegated names and without SNI; the certificate
        // choice is the admin's, as with Synapse.
        ssl.setSniRequired(false);
        return ssl;
    }

    /** Starts the watcher thread, unless polling is disabled or there are no TLS listeners. */
    void start() {
        if (listeners.isEmpty() || interval.isZero()) {
            return;
        }
        watcher = Thread.ofVirtual().name("myelin-tls-reload").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    clock.sleep(interval);
                    reloadChanged();
                }
            } catch (InterruptedException e) {
                // stopping
            }
        });
    }

    void stop() {
        Thread t = watcher;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watcher = null;
        }
    }

    /** Reloads every listener whose files changed since the last look; returns how many were swapped. */
    int reloadChanged() {
        lock.lock();
        try {
            int reloaded = 0;
            for (Listener l : listeners) {
                byte[] now = digest(l.certificate, l.key);
                if (Arrays.equals(now, l.digest)) {
                    continue;
                }
                l.digest = now;
                try {
                    KeyStore store = PemKeys.load(l.certificate, l.key);
                    l.ssl.reload(factory -> factory.setKeyStore(store));
                    reloaded++;
                    log.info("Reloaded TLS certificate from {}", l.certificate);
                } catch (Exception e) {
                    log.warn("Keeping the current TLS certificate: cannot load {} with {}", l.certificate, l.key, e);
                }
            }
            return reloaded;
        } finally {
            lock.unlock();
        }
    }

    private static byte[] digest(Path certificate, Path key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : List.of(certificate, key)) {
                try {
                    sha.update(Files.readAllBytes(p));
                } catch (IOException e) {
                    // Mid-replacement the file may be missing; that is a state of its own.
                    sha.update(("missing " + e.getClass().getSimpleName())
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
