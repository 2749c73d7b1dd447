package dev.ferry.server.auth;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

/** {@link ErrorCode#AUTH_THROTTLED} with the seconds the client should wait (the HTTP {@code Retry-After}). */
public final class LoginThrottledException extends FerryException {
    private final long retryAfterSeconds;

    LoginThrottledException(String message, long retryAfterSeconds) {
        super(ErrorCode.AUTH_THROTTLED, message, "wait " + retryAfterSeconds + " s and try again with the right password or credential");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
