package dev.ferry.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sync's response held back until the session has done all its database work (issue 12), so that
 * neither its pooled connection nor its sync slot waits while a slow client reads the download: the
 * first {@link #MEMORY_BYTES} in memory, then a temporary file, and {@link #release} sends it all.
 * A response larger than {@code limit} is not held back further: what was held goes out and the rest
 * streams straight to the client, holding the connection as before, so a very large download is
 * never silent for long (the client's read timeout counts silence). Not thread-safe; use once.
 */
final class SpooledResponse extends OutputStream {
    /** 256 KiB per sync in memory: 200 concurrent syncs hold at most 50 MiB of the heap. */
    static final int MEMORY_BYTES = 256 << 10;
    private static final int COPY_BUFFER = 1 << 16;
    private final OutputStream client;
    private final long limit;
    private final ByteArrayOutputStream memory = new ByteArrayOutputStream(8192);
    private Path file;
    private OutputStream spill;
    private long held;
    private boolean passingThrough;

    /** @param limit the most bytes held back (a temporary file beyond {@link #MEMORY_BYTES}) */
    SpooledResponse(OutputStream client, long limit) {
        this.client = client;
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (passingThrough) {
            client.write(b, off, len);
            return;
        }
        if (held + len > limit) {
            release();
            passingThrough = true;
            client.write(b, off, len);
            return;
        }
        if (spill == null && held + len > MEMORY_BYTES) {
            file = Files.createTempFile("ferry-response-", ".bin");
            spill = Files.newOutputStream(file);
            memory.writeTo(spill);
            memory.reset();
        }
        if (spill != null) {
            spill.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
        held += len;
    }

    /** Flushing is what the client gets to see, so it waits for {@link #release} unless the response already passes through. */
    @Override
    public void flush() throws IOException {
        if (passingThrough) {
            client.flush();
        }
    }

    /** Sends what was held back to the client; from then on writes go straight through. Idempotent. */
    void release() throws IOException {
        if (passingThrough) {
            return;
        }
        passingThrough = true;
        if (spill != null) {
            spill.close();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[COPY_BUFFER];
                for (int n; (n = in.read(buf)) > 0; ) {
                    client.write(buf, 0, n);
                }
            }
        } else {
            memory.writeTo(client);
        }
        client.flush();
        discard();
    }

    /** Deletes the temporary file, if any; the client stream is the caller's to close. */
    @Override
    public void close() throws IOException {
        discard();
    }

    private void discard() throws IOException {
        if (spill != null) {
            spill.close();
            Files.deleteIfExists(file);
            spill = null;
        }
        memory.reset();
    }
}
