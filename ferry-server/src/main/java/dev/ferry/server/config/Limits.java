package dev.ferry.server.config;

import java.time.Duration;

/**
 * What one request may cost the server (issue 11), each from a {@code limits.*} option; docs/SECURITY.md
 * "Limits" lists them with their defaults. Beyond {@code requestBytes}, {@code rowsPerUpload},
 * {@code valueBytes} or {@code headerBytes} a request is refused with 413 (431 for headers) and nothing
 * applied; beyond {@code concurrentSyncs} a sync gets a retriable 503 with {@code Retry-After}.
 *
 * @param requestBytes          bytes of a request body, counted both as sent and after gzip decompression
 * @param rowsPerUpload         upload rows of one sync
 * @param valueBytes            characters of one value's JSON text (a base64 binary counts its base64 form)
 * @param headerBytes           bytes of the request line and headers
 * @param idleTimeout           a connection that sends nothing for this long is cut (headers or body)
 * @param minBodyBytesPerSecond a request body arriving slower than this on average is cut (slow-body attacks)
 * @param concurrentSyncs       syncs the server runs at once
 */
public record Limits(long requestBytes, long rowsPerUpload, int valueBytes, int headerBytes, Duration idleTimeout,
                     long minBodyBytesPerSecond, int concurrentSyncs) {
}
