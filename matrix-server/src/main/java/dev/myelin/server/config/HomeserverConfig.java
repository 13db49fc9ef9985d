package dev.myelin.server.config;

import dev.myelin.federation.backoff.FederationRetryConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The homeserver's configuration, read from {@code homeserver.yaml} by {@link ConfigLoader}. Key
 * names follow Synapse's where the meaning is the same, so admins can carry their knowledge over.
 *
 * @param serverName the {@code server_name}: the domain of every user id and alias here
 * @param publicBaseUrl the {@code public_baseurl} clients reach us at
 * @param listeners the HTTP listeners
 * @param database the {@code database} section as plain values, for matrix-storage to interpret
 * @param signingKeyPath the Ed25519 signing key file
 * @param enableRegistration whether {@code /register} is open
 * @param enableRegistrationWithoutVerification whether open registration needs no email/captcha
 * @param registrationSharedSecret the secret for admin registration ({@code register-user})
 * @param mediaStorePath where uploaded media live
 * @param maxUploadSizeBytes the {@code max_upload_size}
 * @param defaultRoomVersion the version of rooms created without {@code room_version}
 * @param rateLimits each {@code rc_*} bucket by name ({@code rc_message}, {@code rc_login.address}, ...)
 * @param logConfig a Logback configuration file, when set
 * @param dataDirectory the directory the config file lives in, for resolving relative paths
 * @param tlsCertificatePath the PEM certificate chain for listeners with {@code tls: true}
 * @param tlsPrivateKeyPath the PEM private key for those listeners
 * @param media the media repository's settings (authenticated media, URL previews, thumbnails)
 * @param connectionTimeouts how long clients may hold the listeners' connections ({@code http_timeouts})
 * @param outbound where outbound requests may go and which CAs they trust
 * @param bcryptRounds the BCrypt cost of new password hashes ({@code bcrypt_rounds}, 4 to 31,
 *     default 12); stored hashes keep the cost they were made with
 * @param serverKeys the old keys and refresh interval published with the signing key
 *     ({@code old_signing_keys}, {@code key_refresh_interval})
 * @param federationRetry the retry and backoff settings of the {@code federation} section
 *     ({@code destination_min_retry_interval}, {@code max_long_retries}, ...), Synapse's defaults
 *     when absent
 * @param federation whom the server federates with and how it checks them
 *     ({@code federation_domain_whitelist}, {@code federation_verify_certificates}, ...)
 * @param presenceEnabled whether users' presence is tracked and shared, with clients and other
 *     servers ({@code presence.enabled}, or Synapse's older {@code use_presence}; default true)
 * @param workers which part of a multi-process homeserver this process is ({@code worker_app},
 *     {@code instance_map}, {@code stream_writers}, {@code redis}, ...); one process doing
 *     everything when none of those keys is set
 * @param appServices the application services registered ({@code app_service_config_files})
 * @param enableMetrics whether the listeners with the {@code metrics} resource serve
 *     {@code /_synapse/metrics} ({@code enable_metrics}, default false)
 * @param registrationRequiresToken whether registering needs a registration token
 *     ({@code registration_requires_token}, default false)
 * @param serverNotices {@code server_notices}: who sends server notices, absent when they are off
 * @param support {@code support}: the contacts served as {@code /.well-known/matrix/support},
 *     absent when none are configured
 * @param allowGuestAccess whether {@code POST /register?kind=guest} creates guest accounts
 *     ({@code allow_guest_access}, default false as in Synapse)
 * @param threePids email sending and 3PID settings ({@code email}, {@code registrations_require_3pid}, ...)
 */
public record HomeserverConfig(
        String serverName,
        String publicBaseUrl,
        List<ListenerConfig> listeners,
        Map<String, Object> database,
        Path signingKeyPath,
        boolean enableRegistration,
        boolean enableRegistrationWithoutVerification,
        Optional<String> registrationSharedSecret,
        Path mediaStorePath,
        long maxUploadSizeBytes,
        String defaultRoomVersion,
        Map<String, RateLimitConfig> rateLimits,
        Optional<Path> logConfig,
        Path dataDirectory,
        Optional<Path> tlsCertificatePath,
        Optional<Path> tlsPrivateKeyPath,
        MediaConfig media,
        ConnectionTimeouts connectionTimeouts,
        OutboundSettings outbound,
        int bcryptRounds,
        ServerKeysConfig serverKeys,
        FederationRetryConfig federationRetry,
        FederationSettings federation,
        boolean presenceEnabled,
        WorkerConfig workers,
        List<AppServiceRegistration> appServices,
        boolean enableMetrics,
        boolean registrationRequiresToken,
        Optional<ServerNoticesConfig> serverNotices,
        Optional<SupportConfig> support,
        boolean allowGuestAccess,
        ThreePidConfig threePids) {

    public HomeserverConfig {
        appServices = List.copyOf(appServices);
        listeners = List.copyOf(listeners);
        database = Map.copyOf(database);
        rateLimits = Map.copyOf(rateLimits);
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(serverNotices, "serverNotices");
        Objects.requireNonNull(support, "support");
    }

    /** The bucket named {@code name} ({@code rc_message}, {@code rc_login.address}, ...). */
    public RateLimitConfig rateLimit(String name) {
        RateLimitConfig limit = rateLimits.get(name);
        if (limit == null) {
            throw new IllegalArgumentException("no rate limit named " + name);
        }
        return limit;
    }
}
