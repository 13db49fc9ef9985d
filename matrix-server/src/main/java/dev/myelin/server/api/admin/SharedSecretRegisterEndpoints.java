package dev.myelin.server.api.admin;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.client.account.LoginResponse;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.account.LoginResult;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Shared-secret registration, wire-compatible with Synapse's {@code /_synapse/admin/v1/register}
 * so that {@code register-user} and Synapse's {@code register_new_matrix_user} both work: fetch a
 * single-use nonce, then post the account with an HMAC-SHA1 over
 * {@code nonce \0 username \0 password \0 admin|notadmin} keyed by {@code registration_shared_secret}.
 */
public final class SharedSecretRegisterEndpoints {
    static final Duration NONCE_LIFETIME = Duration.ofSeconds(60);
    public static final String PATH = "/_synapse/admin/v1/register";
    /** Fetches a single-use nonce. */
    public static final EndpointSpec<NoBody, NonceResponse> NONCE_SPEC =
            EndpointSpec.get(PATH, NonceResponse.class).noAuth();
    /** Creates the account and logs it in. */
    public static final EndpointSpec<RegisterRequest, LoginResponse> REGISTER_SPEC =
            EndpointSpec.post(PATH, RegisterRequest.class, LoginResponse.class).noAuth();

    /** A nonce for one registration. */
    public record NonceResponse(String nonce) {}

    /** The account, the nonce it uses up, and the MAC over both (see {@link #mac}). */
    public record RegisterRequest(
            String nonce,
            String username,
            String password,
            @Nullable Boolean admin,
            String mac) {
        public RegisterRequest {
            EndpointJson.required(nonce, "nonce");
            EndpointJson.required(username, "username");
            EndpointJson.required(password, "password");
            EndpointJson.required(mac, "mac");
        }
    }

    private final AccountHandler accounts;
    private final Clock clock;
    private final Optional<String> secret;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> nonces = new ConcurrentHashMap<>();

    public SharedSecretRegisterEndpoints(AccountHandler accounts, Clock clock, Optional<String> secret) {
        this.accounts = accounts;
        this.clock = clock;
        this.secret = secret.filter(s -> !s.isEmpty());
    }

    public List<Endpoint> endpoints() {
        return List.of(new NonceEndpoint(), new RegisterEndpoint());
    }

    private final class NonceEndpoint extends JsonEndpoint<NoBody, NonceResponse> {
        NonceEndpoint() {
            super(NONCE_SPEC);
        }

        @Override
        protected NonceResponse handle(MatrixRequest request, NoBody body) {
            return nonce();
        }
    }

    private final class RegisterEndpoint extends JsonEndpoint<RegisterRequest, LoginResponse> {
        RegisterEndpoint() {
            super(REGISTER_SPEC);
        }

        @Override
        protected LoginResponse handle(MatrixRequest request, RegisterRequest body) {
            return register(body);
        }
    }

    /** The MAC a client computes; public so the command-line tool shares the exact definition. */
    public static String mac(String sharedSecret, String nonce, String username, String password, boolean admin) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String message = nonce + "\0" + username + "\0" + password + "\0" + (admin ? "admin" : "notadmin");
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    private NonceResponse nonce() {
        requireEnabled();
        expireNonces();
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String nonce = HexFormat.of().formatHex(bytes);
        nonces.put(nonce, clock.nowMillis());
        return new NonceResponse(nonce);
    }

    private LoginResponse register(RegisterRequest body) {
        requireEnabled();
        expireNonces();
        String nonce = body.nonce();
        String username = body.username();
        String password = body.password();
        boolean admin = Boolean.TRUE.equals(body.admin());
        String given = body.mac();
        if (nonces.remove(nonce) == null) {
            throw MatrixException.invalidParam("nonce", "unrecognised or expired nonce");
        }
        String expected = mac(secret.orElseThrow(), nonce, username, password, admin);
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw MatrixException.forbidden("HMAC incorrect");
        }
        UserId user = accounts.validateNewUsername(username);
        accounts.createAccount(user, Optional.of(password), admin);
        LoginResult login =
                accounts.loginDevice(user, Optional.empty(), Optional.of("shared-secret registration"), false);
        return LoginResponse.of(login, clock);
    }

    private void requireEnabled() {
        if (secret.isEmpty()) {
            throw MatrixException.forbidden("Shared secret registration is not enabled");
        }
    }

    private void expireNonces() {
        long cutoff = clock.nowMillis() - NONCE_LIFETIME.toMillis();
        nonces.values().removeIf(created -> created < cutoff);
    }
}
