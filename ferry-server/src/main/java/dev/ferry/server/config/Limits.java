package dev.ferry.server.config;

import java.time.Duration;

/**
 * What one request may cost the server (issue 11), each from a {@code limits.*} option; docs/SECURITY.md
 * "Limits" lists them with their defaults. Beyond {@code requestBytes}, {@code rowsPerUpload},
 * {@code valueBytes} or {@code headerBytes} a request is refused with 413 (431 for headers) and nothing
 * applied. A sync beyond {@code concurrentSyncs} waits, one of at most {@code queuedSyncs}, up to
 * {@code syncQueueWait} for a slot, and then gets a retriable 503 with {@code Retry-After} (issue 12).
 *
 * @param requestBytes          bytes of a request body, counted both as sent and after gzip decompression
 * @param rowsPerUpload         upload rows of one sync
 * @param valueBytes            characters of one value's JSON text (a base64 binary counts its base64 form)
 * @param headerBytes           bytes of the request line and headers
 * @param idleTimeout           a connection that sends nothing for this long is cut (headers or body)
 * @param minBodyBytesPerSecond a request body arriving slower than this on average, counted over the time the server
 *                              waited for it (not the time the request waited for a slot), is cut (slow-body attacks)
 * @param concurrentSyncs       syncs the server runs at once
 * @param queuedSyncs           syncs that may wait for a slot at once; one more gets SERVER_BUSY at once
 * @param syncQueueWait         how long a sync waits for a slot before SERVER_BUSY (zero: not at all)
 * @param httpThreads           Jetty's request threads (each running or queued sync holds one)
 * @param acceptQueue           TCP connections the kernel holds for the server before it accepts them (listen backlog)
 */
public record Limits(long requestBytes, long rowsPerUpload, int valueBytes, int headerBytes, Duration idleTimeout,
                     long minBodyBytesPerSecond, int concurrentSyncs, int queuedSyncs, Duration syncQueueWait, int httpThreads,
                     int acceptQueue) {
    /** Request threads beyond running and queued syncs: Jetty's selectors and acceptors, health, acknowledgements, registrations. */
    public static final int SPARE_HTTP_THREADS = 32;
}
