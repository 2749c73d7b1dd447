package dev.ferry.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Streams a sync response: status, the upload outcome, the download table by table, then an
 * {@code end} record carrying the row count so the client can tell a complete download from a
 * truncated one. A failure after streaming started is written as an {@code error} field; the client
 * then discards the download. Not thread-safe; use once.
 */
public final class SyncResponseWriter implements AutoCloseable {
    private final JsonGenerator g;
    private TableDef current;
    private boolean inDownload;
    private long downloadRows;

    public SyncResponseWriter(OutputStream out) {
        try {
            this.g = SyncRequestWriter.JSON.createGenerator(out, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void start(String consolidatedId, String status) {
        io(() -> {
            g.writeStartObject();
            g.writeNumberField("protocol", Protocol.VERSION);
            g.writeStringField("consolidatedId", consolidatedId);
            g.writeStringField("status", status);
        });
    }

    /**
     * Tells a remote that the consolidated database has fewer of its uploads than the remote had
     * acknowledged (it went back in time): the server has committed uploads only up to
     * {@code serverProgress}, and the remote must send the later ones again.
     */
    public void restored(long serverProgress) {
        io(() -> {
            g.writeObjectFieldStart("restored");
            g.writeNumberField("serverProgress", serverProgress);
            g.writeEndObject();
        });
    }

    public void upload(UploadOutcome o) {
        io(() -> {
            g.writeObjectFieldStart("upload");
            g.writeNumberField("number", o.number());
            g.writeBooleanField("alreadyApplied", o.alreadyApplied());
            g.writeNumberField("applied", o.applied());
            g.writeNumberField("retries", o.retries());
            if (o.uploadTime() != null) {
                g.writeStringField("uploadTime", o.uploadTime());
            }
            g.writeObjectFieldStart("conflicts");
            for (Map.Entry<String, Long> e : o.conflicts().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("rejected");
            for (RejectedRow r : o.rejected()) {
                g.writeStartObject();
                g.writeStringField("table", r.table());
                g.writeArrayFieldStart("key");
                for (Object k : r.key()) {
                    g.writeObject(k);
                }
                g.writeEndArray();
                g.writeStringField("code", r.code().name());
                g.writeStringField("message", r.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
        });
    }

    /**
     * The server's schema is another version than the remote's tables follow: the upload (if any) was
     * applied with the columns the remote has, and no download follows; the remote upgrades to
     * {@code version} ({@code GET /v1/schema?remoteId=}) and downloads everything again.
     */
    public void schemaChanged(String version) {
        io(() -> g.writeStringField("schemaChanged", version));
    }

    /** Key ranges this remote may now take keys from (docs/SCHEMAS.md, "Keys created offline"); before the download. */
    public void keyRanges(List<KeyRange> ranges) {
        io(() -> {
            g.writeArrayFieldStart("keyRanges");
            for (KeyRange r : ranges) {
                g.writeStartObject();
                g.writeStringField("table", r.table());
                g.writeNumberField("first", r.first());
                g.writeNumberField("last", r.last());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.flush();
        });
    }

    public void beginTable(TableDef table) {
        io(() -> {
            if (!inDownload) {
                g.writeObjectFieldStart("download");
                g.writeArrayFieldStart("tables");
                inDownload = true;
            }
            endTableIfOpen();
            current = table;
            g.writeStartObject();
            g.writeStringField("table", table.name());
            g.writeArrayFieldStart("columns");
            for (ColumnDef c : table.columns()) {
                g.writeString(c.name());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
        });
    }

    /** A row to insert or update on the remote; values in the table's column order. */
    public void upsert(Object[] values) {
        io(() -> {
            g.writeStartArray();
            g.writeString("U");
            for (int i = 0; i < values.length; i++) {
                WireValues.write(g, current.columns().get(i).type(), values[i]);
            }
            g.writeEndArray();
            downloadRows++;
        });
    }

    /** A row to delete on the remote; key values in primary-key order. */
    public void delete(Object[] key) {
        io(() -> {
            g.writeStartArray();
            g.writeString("D");
            int[] idx = current.keyIndexes();
            for (int i = 0; i < key.length; i++) {
                WireValues.write(g, current.columns().get(idx[i]).type(), key[i]);
            }
            g.writeEndArray();
            downloadRows++;
        });
    }

    private void endTableIfOpen() throws IOException {
        if (current != null) {
            g.writeEndArray();
            g.writeEndObject();
            current = null;
        }
    }

    /** Closes the download, naming the position the remote has now received everything up to. */
    public void endDownload(long lastDownload, String downloadTime) {
        io(() -> {
            if (!inDownload) {
                g.writeObjectFieldStart("download");
                g.writeArrayFieldStart("tables");
                inDownload = true;
            }
            endTableIfOpen();
            g.writeEndArray();
            g.writeNumberField("lastDownload", lastDownload);
            g.writeStringField("downloadTime", downloadTime);
            g.writeEndObject();
        });
    }

    public void end() {
        io(() -> {
            g.writeObjectFieldStart("end");
            g.writeNumberField("downloadRows", downloadRows);
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
        });
    }

    /** Reports a failure after the response started; the stream is then complete but marked failed. */
    public void error(FerryException e) {
        try {
            g.writeObjectFieldStart("error");
            g.writeStringField("code", e.code().name());
            g.writeStringField("message", e.getMessage());
            if (e.hint() != null) {
                g.writeStringField("hint", e.hint());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
        } catch (IOException | RuntimeException ignored) {
            // The generator may be mid-array; the client detects the missing end record either way.
        }
    }

    public long downloadRows() {
        return downloadRows;
    }

    @Override
    public void close() {
        try {
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface IoStep {
        void run() throws IOException;
    }

    private static void io(IoStep step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
