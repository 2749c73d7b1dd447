package dev.ferry.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Streams a sync request: the header, then the upload table by table, row by row. Nothing is
 * buffered beyond Jackson's output buffer. Not thread-safe; use once.
 */
public final class SyncRequestWriter implements AutoCloseable {
    static final JsonFactory JSON = new JsonFactory();
    private final JsonGenerator g;
    private TableDef current;
    private boolean[] currentCarried;

    public SyncRequestWriter(OutputStream out) {
        try {
            this.g = JSON.createGenerator(out, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void header(SyncRequestHeader h) {
        try {
            g.writeStartObject();
            g.writeNumberField("protocol", Protocol.VERSION);
            g.writeStringField("remoteId", h.remoteId());
            if (h.incarnation() != null) {
                g.writeStringField("incarnation", h.incarnation());
            }
            if (h.consolidatedId() != null) {
                g.writeStringField("consolidatedId", h.consolidatedId());
            }
            g.writeNumberField("progress", h.progress());
            if (h.uploadId() != null) {
                g.writeStringField("uploadId", h.uploadId());
            }
            if (h.probe() != null) {
                g.writeObjectFieldStart("probe");
                g.writeNumberField("number", h.probe().number());
                g.writeStringField("uploadId", h.probe().id());
                g.writeEndObject();
            }
            g.writeNumberField("lastDownload", h.lastDownload());
            if (h.holdsRows()) {
                g.writeBooleanField("holdsRows", true);
            }
            g.writeStringField("mode", h.mode().wire());
            g.writeArrayFieldStart("tables");
            for (String t : h.tables()) {
                g.writeString(t);
            }
            g.writeEndArray();
            if (h.schemaVersion() != null) {
                g.writeStringField("schemaVersion", h.schemaVersion());
            }
            if (h.keyRanges() != null) {
                g.writeObjectFieldStart("keyRanges");
                for (Map.Entry<String, HeldKeys> e : h.keyRanges().entrySet()) {
                    g.writeObjectFieldStart(e.getKey());
                    g.writeNumberField("keysLeft", e.getValue().keysLeft());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeArrayFieldStart("upload");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void beginTable(TableDef table) {
        beginTable(table, null);
    }

    /**
     * A block of rows that carry only the columns {@code carried} marks (null: every column): rows changed
     * under an older schema, whose values of the columns added since are {@link Absent}.
     */
    public void beginTable(TableDef table, boolean[] carried) {
        try {
            endTableIfOpen();
            current = table;
            currentCarried = carried;
            g.writeStartObject();
            g.writeStringField("table", table.name());
            g.writeArrayFieldStart("columns");
            for (int i = 0; i < table.columns().size(); i++) {
                if (carried == null || carried[i]) {
                    g.writeString(table.columns().get(i).name());
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void row(UploadRow row) {
        try {
            g.writeStartArray();
            g.writeString(row.op().wire());
            if (row.op() != ChangeOp.DELETE) {
                writeValues(row.newValues());
            }
            if (row.op() != ChangeOp.INSERT) {
                writeValues(row.oldValues());
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeValues(Object[] values) throws IOException {
        if (values == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (int i = 0; i < values.length; i++) {
            if (currentCarried == null || currentCarried[i]) {
                WireValues.write(g, current.columns().get(i).type(), values[i]);
            }
        }
        g.writeEndArray();
    }

    private void endTableIfOpen() throws IOException {
        if (current != null) {
            g.writeEndArray();
            g.writeEndObject();
            current = null;
        }
    }

    /** Ends the upload and the request; flushes but does not close the stream. */
    public void finish() {
        finish(Map.of());
    }

    /**
     * Ends the upload, then asks for the server's current version of each listed key (the rows this
     * remote could not take or must get back: docs/PROTOCOL.md, "refetch"), and ends the request.
     */
    public void finish(Map<TableDef, List<Object[]>> refetch) {
        try {
            endTableIfOpen();
            g.writeEndArray();
            if (!refetch.isEmpty()) {
                g.writeArrayFieldStart("refetch");
                for (Map.Entry<TableDef, List<Object[]>> e : refetch.entrySet()) {
                    TableDef t = e.getKey();
                    g.writeStartObject();
                    g.writeStringField("table", t.name());
                    g.writeArrayFieldStart("keys");
                    for (Object[] key : e.getValue()) {
                        g.writeStartArray();
                        for (int i = 0; i < key.length; i++) {
                            WireValues.write(g, t.keyColumns().get(i).type(), key[i]);
                        }
                        g.writeEndArray();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
