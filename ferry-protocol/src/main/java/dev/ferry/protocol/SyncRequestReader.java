package dev.ferry.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a sync request as a stream: {@link #readHeader()} first, then {@link #readUpload} hands each
 * row to a sink without holding the upload in memory. Malformed or truncated input is a
 * {@link ErrorCode#PROTOCOL_ERROR} naming what was expected. Not thread-safe; use once.
 */
public final class SyncRequestReader implements AutoCloseable {
    private final JsonParser p;
    private final Map<TableDef, List<Object[]>> refetch = new LinkedHashMap<>();

    public SyncRequestReader(InputStream in) {
        try {
            this.p = SyncRequestWriter.JSON.createParser(in);
        } catch (IOException e) {
            throw Json.broken(e);
        }
    }

    public SyncRequestHeader readHeader() {
        try {
            Json.expect(p, p.nextToken(), JsonToken.START_OBJECT, "the start of a sync request");
            Integer protocol = null;
            String remoteId = null;
            String incarnation = null;
            String consolidatedId = null;
            Long progress = null;
            String uploadId = null;
            UploadRef probe = null;
            long lastDownload = 0;
            boolean holdsRows = false;
            SyncMode mode = SyncMode.FULL;
            List<String> tables = new ArrayList<>();
            while (true) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_OBJECT) {
                    throw new FerryException(ErrorCode.PROTOCOL_ERROR, "sync request has no upload section");
                }
                Json.expect(p, t, JsonToken.FIELD_NAME, "a field of the sync request");
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case "protocol" -> protocol = p.getIntValue();
                    case "remoteId" -> remoteId = p.getText();
                    case "incarnation" -> incarnation = t == JsonToken.VALUE_NULL ? null : IncarnationToken.checked(p.getText());
                    case "consolidatedId" -> consolidatedId = t == JsonToken.VALUE_NULL ? null : p.getText();
                    case "progress" -> progress = p.getLongValue();
                    case "uploadId" -> uploadId = t == JsonToken.VALUE_NULL ? null : p.getText();
                    case "probe" -> probe = t == JsonToken.VALUE_NULL ? null : readProbe();
                    case "lastDownload" -> lastDownload = p.getLongValue();
                    case "holdsRows" -> holdsRows = p.getBooleanValue();
                    case "mode" -> mode = SyncMode.fromWire(p.getText());
                    case "tables" -> {
                        Json.expect(p, t, JsonToken.START_ARRAY, "the list of tables");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            tables.add(p.getText());
                        }
                    }
                    case "upload" -> {
                        Json.expect(p, t, JsonToken.START_ARRAY, "the upload array");
                        if (protocol == null || protocol != Protocol.VERSION) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR,
                                    "unsupported protocol version " + protocol + "; this server speaks " + Protocol.VERSION,
                                    "use a client and server of the same Ferry release");
                        }
                        if (remoteId == null || remoteId.isBlank()) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "sync request has no remoteId");
                        }
                        if (progress == null || progress < 0) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "sync request has no valid progress counter");
                        }
                        if (probe != null && uploadId != null) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a probe of remote " + remoteId + " also names an upload to apply");
                        }
                        return new SyncRequestHeader(remoteId, consolidatedId, progress, uploadId, probe, lastDownload, holdsRows, mode, tables, incarnation);
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw Json.broken(e);
        }
    }

    /**
     * Reads every upload row. {@code tables} resolves a table name to the receiver's definition
     * (and throws for a table it does not synchronize).
     */
    public long readUpload(Function<String, TableDef> tables, UploadSink sink) {
        long rows = 0;
        try {
            while (true) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_ARRAY) {
                    break;
                }
                Json.expect(p, t, JsonToken.START_OBJECT, "an upload table");
                String name = null;
                ColumnMapping mapping = null;
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    Json.expect(p, t, JsonToken.FIELD_NAME, "a field of an upload table");
                    String field = p.currentName();
                    t = p.nextToken();
                    switch (field) {
                        case "table" -> name = p.getText();
                        case "columns" -> mapping = ColumnMapping.of(tables.apply(Json.require(name, "table before columns")), Json.strings(p));
                        case "rows" -> {
                            Json.expect(p, t, JsonToken.START_ARRAY, "the rows of table " + name);
                            if (mapping == null) {
                                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "upload table " + name + " has rows before columns");
                            }
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                sink.row(mapping.table(), readRow(mapping));
                                rows++;
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                Json.expect(p, t, JsonToken.FIELD_NAME, "the end of the sync request");
                String field = p.currentName();
                p.nextToken();
                if (field.equals("refetch")) {
                    readRefetch(tables);
                } else {
                    p.skipChildren();
                }
            }
            return rows;
        } catch (IOException e) {
            throw Json.broken(e);
        }
    }

    /**
     * The keys the remote asked to receive the server's current version of (read by
     * {@link #readUpload}, which must have returned), per table in request order; empty if none.
     */
    public Map<TableDef, List<Object[]>> refetch() {
        return refetch;
    }

    private void readRefetch(Function<String, TableDef> tables) throws IOException {
        Json.expect(p, p.currentToken(), JsonToken.START_ARRAY, "the refetch list");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Json.expect(p, p.currentToken(), JsonToken.START_OBJECT, "a refetch table");
            TableDef table = null;
            List<Object[]> keys = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                Json.expect(p, t, JsonToken.FIELD_NAME, "a field of a refetch table");
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case "table" -> table = tables.apply(p.getText());
                    case "keys" -> {
                        Json.expect(p, t, JsonToken.START_ARRAY, "the refetch keys");
                        TableDef def = Json.require(table, "table before keys");
                        ColumnMapping all = ColumnMapping.of(def, def.columns().stream().map(c -> c.name()).toList());
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            Json.expect(p, p.currentToken(), JsonToken.START_ARRAY, "a refetch key of " + def.name());
                            keys.add(Json.key(p, all, def.keyIndexes()));
                            Json.expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of a refetch key of " + def.name());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            refetch.computeIfAbsent(Json.require(table, "the table of a refetch entry"), k -> new ArrayList<>()).addAll(keys);
        }
    }

    private UploadRow readRow(ColumnMapping m) throws IOException {
        Json.expect(p, p.currentToken(), JsonToken.START_ARRAY, "an upload row");
        p.nextToken();
        ChangeOp op = ChangeOp.fromWire(p.getText());
        Object[] newValues = null;
        Object[] oldValues = null;
        if (op != ChangeOp.DELETE) {
            p.nextToken();
            newValues = Json.values(p, m);
        }
        if (op != ChangeOp.INSERT) {
            p.nextToken();
            oldValues = Json.values(p, m);
        }
        Json.expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of an upload row of " + m.table().name());
        if ((op == ChangeOp.DELETE && oldValues == null) || (op != ChangeOp.DELETE && newValues == null)) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "upload row of " + m.table().name() + " lacks its image");
        }
        return new UploadRow(op, newValues, oldValues);
    }

    private UploadRef readProbe() throws IOException {
        Json.expect(p, p.currentToken(), JsonToken.START_OBJECT, "the probe");
        Long number = null;
        String id = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            Json.expect(p, t, JsonToken.FIELD_NAME, "a field of the probe");
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "number" -> number = p.getLongValue();
                case "uploadId" -> id = p.getText();
                default -> p.skipChildren();
            }
        }
        if (number == null || number < 1 || id == null || id.isBlank()) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a probe must name the upload's number (1 or more) and its uploadId");
        }
        return new UploadRef(number, id);
    }

    @Override
    public void close() {
        try {
            p.close();
        } catch (IOException e) {
            throw Json.broken(e);
        }
    }

}
