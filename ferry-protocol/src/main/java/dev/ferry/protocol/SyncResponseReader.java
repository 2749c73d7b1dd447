package dev.ferry.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a sync response as a stream and drives a {@link SyncResponseHandler}. The download is only
 * reported complete after the {@code end} record arrived and its row count matched; a truncated or
 * failed stream throws, so the caller rolls its download transaction back.
 */
public final class SyncResponseReader {
    private final JsonParser p;

    public SyncResponseReader(InputStream in) {
        try {
            this.p = SyncRequestWriter.JSON.createParser(in);
        } catch (IOException e) {
            throw Json.broken(e);
        }
    }

    public void read(SyncResponseHandler h) {
        try {
            Json.expect(p, p.nextToken(), JsonToken.START_OBJECT, "the start of a sync response");
            String consolidatedId = null;
            long rows = 0;
            long lastDownload = -1;
            String downloadTime = null;
            boolean ended = false;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                Json.expect(p, t, JsonToken.FIELD_NAME, "a field of the sync response");
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case "protocol" -> {
                        if (p.getIntValue() != Protocol.VERSION) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "server speaks protocol " + p.getIntValue()
                                    + ", this client " + Protocol.VERSION, "use a client and server of the same Ferry release");
                        }
                    }
                    case "consolidatedId" -> consolidatedId = p.getText();
                    case "status" -> h.start(consolidatedId, p.getText());
                    case "upload" -> h.upload(readOutcome());
                    case "keyRanges" -> h.keyRanges(readKeyRanges(t));
                    case "schemaChanged" -> h.schemaChanged(p.getText());
                    case "restored" -> {
                        Json.expect(p, t, JsonToken.START_OBJECT, "the restored section");
                        long serverProgress = -1;
                        while (p.nextToken() != JsonToken.END_OBJECT) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("serverProgress")) {
                                serverProgress = p.getLongValue();
                            } else {
                                p.skipChildren();
                            }
                        }
                        if (serverProgress < 0) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "the restored section has no serverProgress");
                        }
                        h.restored(serverProgress);
                    }
                    case "download" -> {
                        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                            String f = p.currentName();
                            t = p.nextToken();
                            switch (f) {
                                case "tables" -> rows += readTables(h);
                                case "lastDownload" -> lastDownload = p.getLongValue();
                                case "downloadTime" -> downloadTime = p.getText();
                                default -> p.skipChildren();
                            }
                        }
                    }
                    case "end" -> {
                        long declared = -1;
                        while (p.nextToken() != JsonToken.END_OBJECT) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("downloadRows")) {
                                declared = p.getLongValue();
                            }
                        }
                        if (declared != rows) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR,
                                    "download declared " + declared + " rows but " + rows + " arrived");
                        }
                        ended = true;
                    }
                    case "error" -> throw readError();
                    default -> p.skipChildren();
                }
            }
            if (!ended) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "sync response ended without its end record");
            }
            if (lastDownload >= 0) {
                h.downloadComplete(lastDownload, downloadTime, rows);
            }
        } catch (IOException e) {
            throw Json.broken(e);
        }
    }

    private long readTables(SyncResponseHandler h) throws IOException {
        Json.expect(p, p.currentToken(), JsonToken.START_ARRAY, "the downloaded tables");
        long rows = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Json.expect(p, t, JsonToken.START_OBJECT, "a downloaded table");
            String name = null;
            ColumnMapping m = null;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case "table" -> name = p.getText();
                    case "columns" -> {
                        m = ColumnMapping.of(h.table(Json.require(name, "table before columns")), Json.strings(p));
                        h.beginTable(m.table());
                    }
                    case "rows" -> {
                        if (m == null) {
                            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "downloaded table " + name + " has rows before columns");
                        }
                        int[] keyIdx = m.table().keyIndexes();
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            Json.expect(p, t, JsonToken.START_ARRAY, "a downloaded row");
                            p.nextToken();
                            String op = p.getText();
                            if (op.equals("U")) {
                                Object[] values = new Object[m.size()];
                                for (int i = 0; i < m.size(); i++) {
                                    p.nextToken();
                                    int local = m.local(i);
                                    values[local] = WireValues.read(p, m.table().columns().get(local).type());
                                }
                                h.upsert(m.table(), values);
                            } else if (op.equals("D")) {
                                h.delete(m.table(), Json.key(p, m, keyIdx));
                            } else {
                                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "unknown download operation " + op);
                            }
                            Json.expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of a downloaded row of " + name);
                            rows++;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        return rows;
    }

    private List<KeyRange> readKeyRanges(JsonToken start) throws IOException {
        Json.expect(p, start, JsonToken.START_ARRAY, "the keyRanges array");
        List<KeyRange> ranges = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Json.expect(p, t, JsonToken.START_OBJECT, "a key range");
            String table = null;
            Long first = null;
            Long last = null;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                Json.expect(p, t, JsonToken.FIELD_NAME, "a field of a key range");
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "table" -> table = Json.string(p, "table");
                    case "first" -> first = Json.counter(p, "first");
                    case "last" -> last = Json.counter(p, "last");
                    default -> p.skipChildren();
                }
            }
            if (table == null || first == null || last == null || first > last) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a key range of the response lacks its table, first or last key, or ends before it starts");
            }
            ranges.add(new KeyRange(table, first, last));
        }
        return ranges;
    }

    private UploadOutcome readOutcome() throws IOException {
        long number = 0;
        boolean already = false;
        long applied = 0;
        int retries = 0;
        String uploadTime = null;
        Map<String, Long> conflicts = new LinkedHashMap<>();
        List<RejectedRow> rejected = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "number" -> number = p.getLongValue();
                case "alreadyApplied" -> already = p.getBooleanValue();
                case "applied" -> applied = p.getLongValue();
                case "retries" -> retries = p.getIntValue();
                case "uploadTime" -> uploadTime = p.getText();
                case "conflicts" -> {
                    while (p.nextToken() != JsonToken.END_OBJECT) {
                        String table = p.currentName();
                        p.nextToken();
                        conflicts.put(table, p.getLongValue());
                    }
                }
                case "rejected" -> {
                    Json.expect(p, t, JsonToken.START_ARRAY, "the rejected rows");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        String table = null;
                        List<Object> key = new ArrayList<>();
                        ErrorCode code = ErrorCode.ROW_REJECTED;
                        String message = null;
                        while (p.nextToken() != JsonToken.END_OBJECT) {
                            String rf = p.currentName();
                            p.nextToken();
                            switch (rf) {
                                case "table" -> table = p.getText();
                                case "key" -> {
                                    while (p.nextToken() != JsonToken.END_ARRAY) {
                                        key.add(p.currentToken().isNumeric() ? p.getNumberValue()
                                                : p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText());
                                    }
                                }
                                case "code" -> code = ErrorCode.fromWire(p.getText());
                                case "message" -> message = p.getText();
                                default -> p.skipChildren();
                            }
                        }
                        rejected.add(new RejectedRow(table, key, code, message));
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new UploadOutcome(number, already, applied, rejected, conflicts, retries, uploadTime);
    }

    private FerryException readError() throws IOException {
        String code = null;
        String message = null;
        String hint = null;
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "code" -> code = p.getText();
                case "message" -> message = p.getText();
                case "hint" -> hint = p.getText();
                default -> p.skipChildren();
            }
        }
        return new FerryException(ErrorCode.fromWire(code), message, hint);
    }
}
