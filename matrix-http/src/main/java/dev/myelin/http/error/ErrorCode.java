package dev.myelin.http.error;

import java.util.Objects;

/**
 * A Matrix error code ({@code errcode}), such as {@code M_FORBIDDEN}.
 *
 * <p>Error codes are open-ended strings: the spec adds new ones over time and servers may use
 * their own namespaced codes, so this is a value wrapper with constants for the standard codes
 * rather than an enum. A code received from a remote server that this class has no constant for
 * survives a round trip unchanged.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#standard-error-response">Standard
 *     error response</a>
 * @param value the code as it appears on the wire, never blank
 */
public record ErrorCode(String value) {

    public static final ErrorCode BAD_JSON = new ErrorCode("M_BAD_JSON");
    public static final ErrorCode FORBIDDEN = new ErrorCode("M_FORBIDDEN");
    public static final ErrorCode LIMIT_EXCEEDED = new ErrorCode("M_LIMIT_EXCEEDED");
    public static final ErrorCode MISSING_TOKEN = new ErrorCode("M_MISSING_TOKEN");
    public static final ErrorCode NOT_FOUND = new ErrorCode("M_NOT_FOUND");
    public static final ErrorCode NOT_JSON = new ErrorCode("M_NOT_JSON");
    public static final ErrorCode RESOURCE_LIMIT_EXCEEDED = new ErrorCode("M_RESOURCE_LIMIT_EXCEEDED");
    public static final ErrorCode UNKNOWN = new ErrorCode("M_UNKNOWN");
    public static final ErrorCode UNKNOWN_DEVICE = new ErrorCode("M_UNKNOWN_DEVICE");
    public static final ErrorCode UNKNOWN_TOKEN = new ErrorCode("M_UNKNOWN_TOKEN");
    public static final ErrorCode UNRECOGNIZED = new ErrorCode("M_UNRECOGNIZED");
    public static final ErrorCode USER_LIMIT_EXCEEDED = new ErrorCode("M_USER_LIMIT_EXCEEDED");
    public static final ErrorCode USER_LOCKED = new ErrorCode("M_USER_LOCKED");
    public static final ErrorCode USER_SUSPENDED = new ErrorCode("M_USER_SUSPENDED");

    public static final ErrorCode BAD_ALIAS = new ErrorCode("M_BAD_ALIAS");
    public static final ErrorCode BAD_STATE = new ErrorCode("M_BAD_STATE");
    public static final ErrorCode CANNOT_LEAVE_SERVER_NOTICE_ROOM = new ErrorCode("M_CANNOT_LEAVE_SERVER_NOTICE_ROOM");
    public static final ErrorCode CANNOT_OVERWRITE_MEDIA = new ErrorCode("M_CANNOT_OVERWRITE_MEDIA");
    public static final ErrorCode CAPTCHA_INVALID = new ErrorCode("M_CAPTCHA_INVALID");
    public static final ErrorCode CAPTCHA_NEEDED = new ErrorCode("M_CAPTCHA_NEEDED");
    public static final ErrorCode DUPLICATE_ANNOTATION = new ErrorCode("M_DUPLICATE_ANNOTATION");
    public static final ErrorCode EXCLUSIVE = new ErrorCode("M_EXCLUSIVE");
    public static final ErrorCode GUEST_ACCESS_FORBIDDEN = new ErrorCode("M_GUEST_ACCESS_FORBIDDEN");
    public static final ErrorCode INCOMPATIBLE_ROOM_VERSION = new ErrorCode("M_INCOMPATIBLE_ROOM_VERSION");
    public static final ErrorCode INVALID_PARAM = new ErrorCode("M_INVALID_PARAM");
    public static final ErrorCode INVALID_ROOM_STATE = new ErrorCode("M_INVALID_ROOM_STATE");
    public static final ErrorCode INVALID_SIGNATURE = new ErrorCode("M_INVALID_SIGNATURE");
    public static final ErrorCode INVALID_USERNAME = new ErrorCode("M_INVALID_USERNAME");
    public static final ErrorCode INVITE_BLOCKED = new ErrorCode("M_INVITE_BLOCKED");
    public static final ErrorCode KEY_TOO_LARGE = new ErrorCode("M_KEY_TOO_LARGE");
    public static final ErrorCode MISSING_PARAM = new ErrorCode("M_MISSING_PARAM");
    public static final ErrorCode NOT_YET_UPLOADED = new ErrorCode("M_NOT_YET_UPLOADED");
    public static final ErrorCode PROFILE_TOO_LARGE = new ErrorCode("M_PROFILE_TOO_LARGE");
    public static final ErrorCode ROOM_IN_USE = new ErrorCode("M_ROOM_IN_USE");
    public static final ErrorCode SERVER_NOT_TRUSTED = new ErrorCode("M_SERVER_NOT_TRUSTED");
    public static final ErrorCode SESSION_NOT_VALIDATED = new ErrorCode("M_SESSION_NOT_VALIDATED");
    public static final ErrorCode THREEPID_AUTH_FAILED = new ErrorCode("M_THREEPID_AUTH_FAILED");
    public static final ErrorCode THREEPID_DENIED = new ErrorCode("M_THREEPID_DENIED");
    public static final ErrorCode THREEPID_IN_USE = new ErrorCode("M_THREEPID_IN_USE");
    public static final ErrorCode THREEPID_MEDIUM_NOT_SUPPORTED = new ErrorCode("M_THREEPID_MEDIUM_NOT_SUPPORTED");
    public static final ErrorCode THREEPID_NOT_FOUND = new ErrorCode("M_THREEPID_NOT_FOUND");
    public static final ErrorCode TOO_LARGE = new ErrorCode("M_TOO_LARGE");
    public static final ErrorCode UNABLE_TO_AUTHORISE_JOIN = new ErrorCode("M_UNABLE_TO_AUTHORISE_JOIN");
    public static final ErrorCode UNABLE_TO_GRANT_JOIN = new ErrorCode("M_UNABLE_TO_GRANT_JOIN");
    public static final ErrorCode UNAUTHORIZED = new ErrorCode("M_UNAUTHORIZED");
    public static final ErrorCode UNSUPPORTED_ROOM_VERSION = new ErrorCode("M_UNSUPPORTED_ROOM_VERSION");
    public static final ErrorCode USER_DEACTIVATED = new ErrorCode("M_USER_DEACTIVATED");
    public static final ErrorCode USER_IN_USE = new ErrorCode("M_USER_IN_USE");
    public static final ErrorCode WEAK_PASSWORD = new ErrorCode("M_WEAK_PASSWORD");
    public static final ErrorCode WRONG_ROOM_KEYS_VERSION = new ErrorCode("M_WRONG_ROOM_KEYS_VERSION");

    /** Requires a non-blank code; any string is kept, so unknown remote codes survive a round trip. */
    public ErrorCode {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("error code must not be blank");
        }
    }

    /** Wraps a code received on the wire; unknown codes are kept as they are. */
    public static ErrorCode of(String value) {
        return new ErrorCode(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
