package dev.myelin.http.server;

import org.jspecify.annotations.Nullable;

/**
 * What a metrics listener serves at its path: the current values in a text format a scraper
 * (Prometheus) reads. Kept free of any metrics library so that this module does not depend on one.
 */
@FunctionalInterface
public interface MetricsSource {
    /**
     * One scrape's body.
     *
     * @param contentType the body's media type, which names the format and its version
     * @param body the body
     */
    record Scrape(String contentType, byte[] body) {}

    /**
     * Takes the current values.
     *
     * @param accept the scraper's {@code Accept} header, which may ask for another format
     * @return the body to answer with
     */
    Scrape scrape(@Nullable String accept);
}
