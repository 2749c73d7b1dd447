package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.time.Duration;

/**
 * The server answered {@code SERVER_BUSY} (503): it applied nothing, and said when to come back
 * ({@code Retry-After}, or null when it did not). What {@link BusyRetry} waits out.
 */
final class ServerBusyException extends FerryException {
    private final Duration retryAfter;

    ServerBusyException(String message, String hint, Duration retryAfter) {
        super(ErrorCode.SERVER_BUSY, message, hint);
        this.retryAfter = retryAfter;
    }

    /** Null when the server gave no (readable) Retry-After. */
    Duration retryAfter() {
        return retryAfter;
    }
}
