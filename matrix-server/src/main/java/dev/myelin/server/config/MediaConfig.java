package dev.myelin.server.config;

import java.util.List;

/**
 * The media repository's settings, read from {@code homeserver.yaml} with Synapse's key names.
 *
 * @param enableAuthenticatedMedia {@code enable_authenticated_media}: media uploaded while this is on
 *     is served only by the authenticated {@code /_matrix/client/v1/media} endpoints (the spec's
 *     "freeze" of the unauthenticated {@code /_matrix/media/v3} ones)
 * @param urlPreviewEnabled {@code url_preview_enabled}: whether {@code preview_url} is served at all
 * @param urlPreviewBlockedRanges {@code url_preview_ip_range_blacklist} (or {@code _blocklist}): CIDR
 *     ranges URL previews may not fetch from; the standard private and reserved ranges by default
 * @param urlPreviewAllowedRanges {@code url_preview_ip_range_whitelist} (or {@code _allowlist}):
 *     exceptions to the blocked ranges
 * @param urlPreviewMaxBytes {@code max_spider_size}: the largest page or image a preview downloads
 * @param maxImagePixels {@code max_image_pixels}: images with more pixels are not thumbnailed
 * @param remoteDownloadBurstBytes {@code remote_media_download_burst_count}: how many bytes of
 *     other servers' media one requester (by IP address) may have fetched at once
 * @param remoteDownloadBytesPerSecond {@code remote_media_download_per_second}: how fast that
 *     allowance comes back
 */
public record MediaConfig(
        boolean enableAuthenticatedMedia,
        boolean urlPreviewEnabled,
        List<String> urlPreviewBlockedRanges,
        List<String> urlPreviewAllowedRanges,
        long urlPreviewMaxBytes,
        long maxImagePixels,
        long remoteDownloadBurstBytes,
        long remoteDownloadBytesPerSecond) {

    public MediaConfig {
        urlPreviewBlockedRanges = List.copyOf(urlPreviewBlockedRanges);
        urlPreviewAllowedRanges = List.copyOf(urlPreviewAllowedRanges);
    }
}
