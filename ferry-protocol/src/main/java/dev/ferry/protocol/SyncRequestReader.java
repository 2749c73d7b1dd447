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
    /** The longest value (in characters of its JSON text) a reader takes unless told otherwise. */
    public static final int DEFAULT_MAX_VALUE_CHARS = 16 << 20;

    private final JsonParser p;
    private final Map<TableDef, List<Object[]>> refetch = new LinkedHashMap<>();

    public SyncRequestReader(InputStream in) {
        this(in, DEFAULT_MAX_VALUE_CHARS);
    }

    /**
     * A reader that refuses duplicate keys, values longer than {@code maxValueChars} and (once the upload is
     * read) anything but whitespace after the request document (issue 11).
     */
    public SyncRequestReader(InputStream in, int maxValueChars) {
        try {
            this.p = Json.strictFactory(maxValueChars).createParser(in);
        } catch (IOException e) {
            throw Json.brokenRequest(e);
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
            Map<String, HeldKeys> keyRanges = null;
            String schemaVersion = null;
            while (true) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_OBJECT) {
                    throw new FerryException(ErrorCode.PROTOCOL_ERROR, "sync request has no upload section");
                }
                Json.expect(p, t, JsonToken.FIELD_NAME, "a field of the sync request");
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case "protocol" -> protocol = (int) Math.min(Integer.MAX_VALUE, Json.counter(p, "protocol"));
                    case "remoteId" -> remoteId = RemoteIds.checked(Json.string(p, "remoteId"));
                    case "incarnation" -> incarnation = IncarnationToken.checked(Json.nullableString(p, "incarnation"));
                    case "consolidatedId" -> consolidatedId = Json.nullableString(p, "consolidatedId");
                    case "progress" -> progress = Json.counter(p, "progress");
                    case "uploadId" -> uploadId = Json.nullableString(p, "uploadId");
                    case "probe" -> probe = t == JsonToken.VALUE_NULL ? null : readProbe();
                    case "lastDownload" -> lastDownload = Json.counter(p, "lastDownload");
                    case "holdsRows" -> holdsRows = Json.bool(p, "holdsRows");
                    case "mode" -> mode = SyncMode.fromWire(Json.string(p, "mode"));
                    case "tables" -> tables.addAll(Json.strings(p));
                    case "keyRanges" -> keyRanges = readKeyRanges(t);
                    case "schemaVersion" -> schemaVersion = Json.nullableString(p, "schemaVersion");
                    case "upload" -> {
                        Json.expect(p, t, JsonToken.START_ARRAY, "the upload array");
                        if (protocol == null || protocol != Protocol.VERSION) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR,
                                    "unsupported protocol version " + protocol + "; this server speaks " + Protocol.VERSION,
                                    "use a client and server of the same Ferry release");
                        }
                        if (remoteId == null) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "sync request has no remoteId");
                        }
                        if (progress == null) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "sync request has no valid progress counter");
                        }
                        if (probe != null && uploadId != null) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a probe of remote " + remoteId + " also names an upload to apply");
                        }
                        return new SyncRequestHeader(remoteId, consolidatedId, progress, uploadId, probe, lastDownload, holdsRows, mode, tables, incarnation, keyRanges, schemaVersion);
                    }
                    default -> throw Json.unknownField(p, field, "sync request");
                }
            }
        } catch (IOException e) {
            throw Json.brokenRequest(e);
        }
    }

    /** {@code "keyRanges": {"table": {"keysLeft": n}, ...}} (docs/PROTOCOL.md). */
    private Map<String, HeldKeys> readKeyRanges(JsonToken start) throws IOException {
        Json.expect(p, start, JsonToken.START_OBJECT, "the keyRanges object");
        Map<String, HeldKeys> held = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            Json.expect(p, t, JsonToken.FIELD_NAME, "a table of keyRanges");
            String table = p.currentName();
            Json.expect(p, p.nextToken(), JsonToken.START_OBJECT, "the key ranges of table " + table);
            long keysLeft = 0;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                Json.expect(p, t, JsonToken.FIELD_NAME, "a field of the key ranges of table " + table);
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "keysLeft" -> keysLeft = Json.counter(p, "keysLeft");
                    default -> throw Json.unknownField(p, field, "key ranges of table " + table);
                }
            }
            if (held.put(table, new HeldKeys(keysLeft)) != null) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "keyRanges names table " + table + " twice");
            }
        }
        return held;
    }

    /**
     * Reads every upload row. {@code tables} resolves a table name to the receiver's definition, throws
     * for a table it does not synchronize, or returns null for one whose rows are to be skipped (a table
     * dropped since the schema of a remote that is about to upgrade).
     */
    public long readUpload(Function<String, TableDef> tables, UploadSink sink) {
        return readUpload(tables, sink, false);
    }

    /**
     * {@link #readUpload(Function, UploadSink)}; with {@code olderSchema} (the remote follows another
     * schema version) a declared column the table does not have is skipped instead of refused.
     */
    public long readUpload(Function<String, TableDef> tables, UploadSink sink, boolean olderSchema) {
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
                boolean skipped = false;
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    Json.expect(p, t, JsonToken.FIELD_NAME, "a field of an upload table");
                    String field = p.currentName();
                    t = p.nextToken();
                    switch (field) {
                        case "table" -> name = Json.string(p, "table");
                        case "columns" -> {
                            TableDef def = tables.apply(Json.require(name, "table before columns"));
                            List<String> declared = Json.strings(p);
                            mapping = def == null ? null : ColumnMapping.ofUpload(def, declared, olderSchema);
                            skipped = def == null;
                        }
                        case "rows" -> {
                            Json.expect(p, t, JsonToken.START_ARRAY, "the rows of table " + name);
                            if (skipped) {
                                // A table the server dropped since the remote's schema: nothing to apply its rows to.
                                p.skipChildren();
                                continue;
                            }
                            if (mapping == null) {
                                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "upload table " + name + " has rows before columns");
                            }
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                sink.row(mapping.table(), readRow(mapping));
                                rows++;
                            }
                        }
                        default -> throw Json.unknownField(p, field, "upload table");
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
                    throw Json.unknownField(p, field, "sync request");
                }
            }
            Json.requireEnd(p);
            return rows;
        } catch (IOException e) {
            throw Json.brokenRequest(e);
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
            boolean dropped = false;
            List<Object[]> keys = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                Json.expect(p, t, JsonToken.FIELD_NAME, "a field of a refetch table");
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case "table" -> {
                        table = tables.apply(Json.string(p, "table"));
                        dropped = table == null;
                    }
                    case "keys" -> {
                        Json.expect(p, t, JsonToken.START_ARRAY, "the refetch keys");
                        if (dropped) {
                            p.skipChildren();
                            continue;
                        }
                        TableDef def = Json.require(table, "table before keys");
                        ColumnMapping all = ColumnMapping.of(def, def.columns().stream().map(c -> c.name()).toList());
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            Json.expect(p, p.currentToken(), JsonToken.START_ARRAY, "a refetch key of " + def.name());
                            keys.add(Json.key(p, all, def.keyIndexes()));
                            Json.expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of a refetch key of " + def.name());
                        }
                    }
                    default -> throw Json.unknownField(p, field, "refetch table");
                }
            }
            if (!dropped) {
                refetch.computeIfAbsent(Json.require(table, "the table of a refetch entry"), k -> new ArrayList<>()).addAll(keys);
            }
        }
    }

    private UploadRow readRow(ColumnMapping m) throws IOException {
        Json.expect(p, p.currentToken(), JsonToken.START_ARRAY, "an upload row");
        p.nextToken();
        ChangeOp op = ChangeOp.fromWire(Json.string(p, "the operation of an upload row"));
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
                case "number" -> number = Json.counter(p, "probe number");
                case "uploadId" -> id = Json.string(p, "probe uploadId");
                default -> throw Json.unknownField(p, field, "probe");
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
            throw Json.brokenRequest(e);
        }
    }

}
