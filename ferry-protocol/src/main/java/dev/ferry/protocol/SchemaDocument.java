package dev.ferry.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * What a server tells a remote being created: the consolidated identity and the synchronized tables
 * in foreign-key order, with their Ferry types. Served at {@code GET /v1/schema}.
 */
public record SchemaDocument(int protocol, String consolidatedId, List<TableDef> tables) {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public SchemaDocument {
        tables = tables.stream().map(SchemaDocument::asRemotesSeeIt).toList();
    }

    /** Without the server's own column types ({@link ColumnDef#serverType()}): remotes hold the text, and need not know. */
    private static TableDef asRemotesSeeIt(TableDef t) {
        if (t.columns().stream().noneMatch(c -> c.serverType() != null)) {
            return t;
        }
        return new TableDef(t.name(), t.columns().stream().map(c -> c.serverType() == null ? c : c.withServerType(null)).toList(),
                t.primaryKey(), t.foreignKeys());
    }

    /**
     * The schema's version: a digest of the tables as remotes see them (names, columns, types, keys,
     * foreign keys, defaults), the same for the server and for a remote that read this document, on
     * every server of the database. A remote reports the version its tables follow with every sync; a
     * server on another version upgrades it (docs/SCHEMAS.md, "Schema changes").
     */
    public String version() {
        return versionOf(tables);
    }

    public static String versionOf(List<TableDef> tables) {
        try {
            byte[] json = JSON.writeValueAsBytes(tables.stream().map(SchemaDocument::asRemotesSeeIt).toList());
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(json);
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the schema", e);
        }
    }

    public void write(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
    }

    public static SchemaDocument read(InputStream in) {
        try {
            SchemaDocument d = JSON.readValue(in, SchemaDocument.class);
            if (d.protocol() != Protocol.VERSION) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "server speaks protocol " + d.protocol() + ", this client " + Protocol.VERSION);
            }
            return d;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "malformed schema document: " + e.getMessage(), null, e);
        }
    }
}
