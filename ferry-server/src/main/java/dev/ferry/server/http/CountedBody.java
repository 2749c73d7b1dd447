package dev.ferry.server.http;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import org.eclipse.jetty.http.BadMessageException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that refuses ({@code REQUEST_TOO_LARGE}) to yield more than {@code limit} bytes. Wrapped
 * around the bytes as sent and again around the gzip-decompressed bytes, so a gzip bomb is cut at the
 * limit instead of filling the disk or heap (issue 11). Not thread-safe.
 */
final class CountedBody extends FilterInputStream {
    private final long limit;
    private final String what;
    private long count;

    CountedBody(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = super.read();
        } catch (BadMessageException e) {
            throw refused(e);
        }
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(buf, off, len);
        } catch (BadMessageException e) {
            throw refused(e);
        }
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            throw tooLarge(what, limit);
        }
    }

    /** Jetty refusing the body (broken chunking, say) is the client's failure, not a 500. */
    private static FerryException refused(BadMessageException e) {
        return new FerryException(ErrorCode.PROTOCOL_ERROR, "the request body was refused (HTTP " + e.getCode() + "); nothing was applied",
                "send the request again over a working connection", e);
    }

    static FerryException tooLarge(String what, long limit) {
        return new FerryException(ErrorCode.REQUEST_TOO_LARGE, "the request body is larger than " + limit + " bytes " + what
                + " (limits.requestBytes); nothing was applied", "sync more often so each upload is smaller, or raise limits.requestBytes on the server");
    }
}
