package dev.ferry.server.http;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body cut ({@code PROTOCOL_ERROR}, nothing applied) when it arrives slower than
 * {@code limits.minBodyBytesPerSecond} on average, the average taken over the time the server spent
 * blocked reading it, and only that (issue 12). Jetty's own minimum request data rate counts from the
 * body's first byte, so it also counted the time a request waited for a sync slot or for the database
 * before the server read on, and cut healthy clients with 408 under load; a slow-body attacker is as
 * slow here as there, and the idle timeout still cuts a body that stops. Not thread-safe.
 */
final class MinimumRateBody extends FilterInputStream {
    /** One second: a body is judged by its rate only once the server has waited this long for it in all. */
    static final long GRACE_NANOS = 1_000_000_000L;
    private final long minBytesPerSecond;
    private long bytes;
    private long blockedNanos;

    /** @param minBytesPerSecond 0: no minimum */
    MinimumRateBody(InputStream in, long minBytesPerSecond) {
        super(in);
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public int read() throws IOException {
        long start = System.nanoTime();
        int b = super.read();
        arrived(b < 0 ? 0 : 1, start);
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        long start = System.nanoTime();
        int n = super.read(buf, off, len);
        arrived(Math.max(n, 0), start);
        return n;
    }

    private void arrived(int n, long start) {
        bytes += n;
        blockedNanos += System.nanoTime() - start;
        // As Jetty does: the bytes that arrived must reach the rate times the time waited for them; judged
        // once that time is long enough to mean something (one packet's wait would otherwise decide).
        if (minBytesPerSecond > 0 && blockedNanos >= GRACE_NANOS && bytes < minBytesPerSecond * (blockedNanos / 1_000_000) / 1_000) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "the request body was refused: " + bytes + " bytes in "
                    + blockedNanos / 1_000_000 + " ms arrived slower than limits.minBodyBytesPerSecond (" + minBytesPerSecond
                    + "); nothing was applied", "send the request again over a working connection");
        }
    }
}
