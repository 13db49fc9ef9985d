package dev.myelin.server.handler.threepid;

import dev.myelin.http.error.MatrixException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Checks of what clients send about 3PIDs, each failing with the spec's 400 error. */
public final class ThreePidInput {
    /** The grammar the spec gives {@code client_secret}. */
    private static final Pattern CLIENT_SECRET = Pattern.compile("[0-9a-zA-Z.=_-]{1,255}");

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final int MAX_ADDRESS = 320;

    private ThreePidInput() {}

    /** {@code client_secret}, required and of the spec's grammar. */
    public static String clientSecret(@Nullable String secret) {
        if (secret == null) {
            throw MatrixException.missingParam("client_secret");
        }
        if (!CLIENT_SECRET.matcher(secret).matches()) {
            throw MatrixException.invalidParam("client_secret", "must match [0-9a-zA-Z.=_-]{1,255}");
        }
        return secret;
    }

    /** {@code sid}, required and short. */
    public static String sid(@Nullable String sid) {
        if (sid == null) {
            throw MatrixException.missingParam("sid");
        }
        if (sid.isEmpty() || sid.length() > 255) {
            throw MatrixException.invalidParam("sid", "must be 1 to 255 characters");
        }
        return sid;
    }

    /**
     * An email address as the server stores and compares it: trimmed and lower-cased (Synapse's
     * canonical form), and one {@code @} with something on each side.
     */
    public static String email(@Nullable String address, String param) {
        if (address == null) {
            throw MatrixException.missingParam(param);
        }
        String canonical = address.trim().toLowerCase(Locale.ROOT);
        if (canonical.length() > MAX_ADDRESS || !EMAIL.matcher(canonical).matches()) {
            throw MatrixException.invalidParam(param, "is not an email address");
        }
        return canonical;
    }

    /** An address of {@code medium}: an email canonicalised, anything else as given. */
    public static String address(String medium, @Nullable String address) {
        if (medium.equals("email")) {
            return email(address, "address");
        }
        if (address == null) {
            throw MatrixException.missingParam("address");
        }
        if (address.isEmpty() || address.length() > MAX_ADDRESS) {
            throw MatrixException.invalidParam("address", "must be 1 to " + MAX_ADDRESS + " characters");
        }
        return address;
    }

    /** {@code medium}, required. */
    public static String medium(@Nullable String medium) {
        if (medium == null) {
            throw MatrixException.missingParam("medium");
        }
        if (!medium.equals("email") && !medium.equals("msisdn")) {
            throw MatrixException.invalidParam("medium", "must be email or msisdn");
        }
        return medium;
    }

    /** {@code next_link}: an http or https URL, when given. */
    public static @Nullable String nextLink(@Nullable String link) {
        if (link == null) {
            return null;
        }
        if (!(link.startsWith("https://") || link.startsWith("http://")) || link.length() > 2048) {
            throw MatrixException.invalidParam("next_link", "must be an http or https URL");
        }
        return link;
    }

    /** {@code id_server}: a host name with an optional port, no scheme or path. */
    public static String idServer(@Nullable String idServer) {
        if (idServer == null) {
            throw MatrixException.missingParam("id_server");
        }
        if (!idServer.matches("[A-Za-z0-9.\\-\\[\\]:]{1,255}")) {
            throw MatrixException.invalidParam("id_server", "must be a server name (host and optional port)");
        }
        return idServer;
    }
}
