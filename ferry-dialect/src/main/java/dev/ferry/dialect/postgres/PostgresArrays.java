package dev.ferry.dialect.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL arrays as the JSON arrays remotes hold (issue 13): {@code {1,2,NULL}} is {@code [1,2,null]},
 * {@code {{1,2},{3,4}}} is {@code [[1,2],[3,4]]}, text elements are JSON strings. Going back, each element's
 * text is handed to PostgreSQL with the array's element type, which parses and checks it as it would in
 * an array literal. Only element types whose values have one plain JSON form are carried ({@link #ELEMENTS}).
 * Stateless.
 */
final class PostgresArrays {
    /** Element type names (pg_type.typname) whose arrays synchronize. */
    static final Set<String> ELEMENTS = Set.of("int2", "int4", "int8", "numeric", "float4", "float8", "text", "varchar", "bpchar", "bool",
            "uuid", "date");
    private static final JsonFactory JSON = new JsonFactory();

    private PostgresArrays() {
    }

    /** The JSON text of an array value, or null for SQL NULL. */
    static String toJson(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        try {
            StringWriter out = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(out)) {
                write(g, array.getArray());
            }
            return out.toString();
        } catch (IOException e) {
            throw new SQLException("cannot write an array as JSON: " + e.getMessage(), e);
        } finally {
            array.free();
        }
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Object[] items) {
            g.writeStartArray();
            for (Object item : items) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d.toPlainString());
        } else if (value instanceof Double d && (d.isNaN() || d.isInfinite()) || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            // JSON has no NaN or Infinity; PostgreSQL reads its own spelling back from a string.
            g.writeString(value.toString());
        } else if (value instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(value.toString());
        }
    }

    /**
     * The array of element type {@code element} that the JSON array {@code json} spells; a value that is
     * no JSON array, or holds objects, is the row's {@code ROW_INVALID_VALUE}.
     */
    static Array fromJson(Connection c, String element, String json) throws SQLException {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw notAnArray(json);
            }
            Object[] items = read(p, json);
            if (p.nextToken() != null) {
                throw notAnArray(json);
            }
            return c.createArrayOf(element, items);
        } catch (IOException e) {
            throw notAnArray(json);
        }
    }

    /** The elements up to the END_ARRAY matching the START_ARRAY just read: text, null, or nested arrays. */
    private static Object[] read(JsonParser p, String json) throws IOException {
        List<Object> items = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null || t == JsonToken.START_OBJECT) {
                throw notAnArray(json);
            }
            items.add(switch (t) {
                case START_ARRAY -> read(p, json);
                case VALUE_NULL -> null;
                default -> p.getText();
            });
        }
        return items.toArray();
    }

    private static FerryException notAnArray(String json) {
        String shown = json.length() > 60 ? json.substring(0, 60) + "..." : json;
        return new FerryException(ErrorCode.ROW_INVALID_VALUE, "'" + shown + "' is not a JSON array of scalars (an array column takes one)");
    }
}
