package dev.ferry.server.upload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.ferry.core.schema.TableDef;
import dev.ferry.protocol.ChangeOp;
import dev.ferry.protocol.UploadRow;
import dev.ferry.protocol.UploadRowCodec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The whole upload of one sync, held until the session ends (seed 003): it is received completely
 * before anything is applied, and read again from the start when a deadlock forces a replay. Rows stay
 * in memory up to a threshold, then spill to temporary files; nothing else is kept per row, so the
 * server's memory does not grow with the upload beyond the threshold (the download's echo filter is in
 * the shadow tables: {@code EchoTags}). Not thread-safe; one per request.
 */
public final class HeldUpload implements AutoCloseable {
    /** Our own spool file: no string limit beyond the request's (limits.valueBytes was checked on the way in). */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build();

    private final long spillThreshold;
    private final Map<String, Part> upserts = new HashMap<>();
    private final Map<String, Part> deletes = new HashMap<>();
    private long rows;
    private Path spillDir;

    public HeldUpload(long spillThresholdRows) {
        this.spillThreshold = spillThresholdRows;
    }

    public void add(TableDef table, UploadRow row) {
        Map<String, Part> target = row.op() == ChangeOp.DELETE ? deletes : upserts;
        target.computeIfAbsent(table.name(), n -> new Part(table)).add(row);
        rows++;
    }

    public long rowCount() {
        return rows;
    }

    /** Inserts and updates of a table, in upload order; may be iterated any number of times. */
    public Iterable<UploadRow> upserts(String table) {
        Part p = upserts.get(table);
        return p == null ? List.of() : p;
    }

    public Iterable<UploadRow> deletes(String table) {
        Part p = deletes.get(table);
        return p == null ? List.of() : p;
    }

    /**
     * Those of {@code keys} that this upload deleted: one pass over the table's deletes, holding only
     * {@code keys} (the few rows an upload had refused) in memory.
     */
    public List<Object[]> deletedAmong(TableDef table, List<Object[]> keys) {
        if (keys.isEmpty() || !deletes.containsKey(table.name())) {
            return List.of();
        }
        Map<KeyText, Object[]> wanted = new HashMap<>();
        for (Object[] k : keys) {
            wanted.put(KeyText.of(table.keyColumns(), k), k);
        }
        List<Object[]> out = new ArrayList<>();
        for (UploadRow r : deletes(table.name())) {
            Object[] hit = wanted.remove(KeyText.of(table.keyColumns(), table.keyOf(r.image())));
            if (hit != null) {
                out.add(hit);
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (Part p : upserts.values()) {
            p.close();
        }
        for (Part p : deletes.values()) {
            p.close();
        }
        if (spillDir != null) {
            try {
                Files.deleteIfExists(spillDir);
            } catch (IOException ignored) {
                // leftover empty temp directory; harmless
            }
        }
    }

    private Path spillDir() throws IOException {
        if (spillDir == null) {
            spillDir = Files.createTempDirectory("ferry-upload-");
        }
        return spillDir;
    }

    /** Rows of one table and kind: a memory prefix, then (after the threshold) a spool file. */
    private final class Part implements Iterable<UploadRow> {
        private final TableDef table;
        private final List<UploadRow> memory = new ArrayList<>();
        private Path file;
        private JsonGenerator out;

        Part(TableDef table) {
            this.table = table;
        }

        void add(UploadRow row) {
            if (rows < spillThreshold && out == null) {
                memory.add(row);
                return;
            }
            try {
                if (out == null) {
                    file = Files.createTempFile(spillDir(), "rows-", ".json");
                    out = JSON.createGenerator(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
                }
                UploadRowCodec.write(out, table, row);
            } catch (IOException e) {
                throw new UncheckedIOException("spilling the held upload to disk failed", e);
            }
        }

        @Override
        public Iterator<UploadRow> iterator() {
            Iterator<UploadRow> mem = memory.iterator();
            if (out == null) {
                return mem;
            }
            try {
                out.flush();
                InputStream in = Files.newInputStream(file);
                JsonParser p = JSON.createParser(in);
                return new Iterator<>() {
                    private UploadRow next = advance();

                    private UploadRow advance() {
                        if (mem.hasNext()) {
                            return mem.next();
                        }
                        try {
                            UploadRow r = UploadRowCodec.read(p, table);
                            if (r == null) {
                                p.close();
                            }
                            return r;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public UploadRow next() {
                        if (next == null) {
                            throw new NoSuchElementException();
                        }
                        UploadRow r = next;
                        next = advance();
                        return r;
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void close() {
            try {
                if (out != null) {
                    out.close();
                    Files.deleteIfExists(file);
                }
            } catch (IOException ignored) {
                // temp file cleanup is best effort
            }
        }
    }
}
