package dev.ferry.client;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;

import java.io.IOException;
import java.util.List;

/**
 * Decodes the JSON that remote triggers write: row images ({@code {"col": value}}, binary as hex) and
 * key texts ({@code [1, "a"]}), into canonical values.
 */
final class ImageJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageJson() {
    }

    /**
     * Streams the image instead of building a tree (an upload decodes one per updated or deleted row).
     * The triggers write columns in table order, so each name is looked for where the last one ended
     * first; a name that is not a column is skipped, as before.
     */
    static Object[] image(TableDef t, String json) {
        return image(t, json, null);
    }

    /**
     * The image with {@code missing} for every column it does not name: {@link dev.ferry.protocol.Absent} for
     * an upload, where an image written before the remote's schema upgrade lacks the columns added since.
     */
    static Object[] image(TableDef t, String json, Object missing) {
        List<ColumnDef> cols = t.columns();
        Object[] row = new Object[cols.size()];
        if (missing != null) {
            java.util.Arrays.fill(row, missing);
        }
        try (JsonParser p = JSON.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(t, json, null);
            }
            int next = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int i = next < cols.size() && cols.get(next).name().equals(name) ? next : t.columnIndex(name);
                JsonToken v = p.nextToken();
                if (i < 0) {
                    p.skipChildren();
                    continue;
                }
                row[i] = value(cols.get(i), p, v);
                next = i + 1;
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw malformed(t, json, null);
            }
        } catch (IOException e) {
            throw malformed(t, json, e);
        }
        return row;
    }

    private static Object value(ColumnDef c, JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> c.type() == FerryType.BINARY ? Values.unhex(p.getText()) : Values.parse(c.type(), p.getText());
            case VALUE_TRUE, VALUE_FALSE -> Values.canonical(c.type(), v == JsonToken.VALUE_TRUE);
            case VALUE_NUMBER_INT -> Values.canonical(c.type(), p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (Object) p.getBigIntegerValue() : p.getLongValue());
            case VALUE_NUMBER_FLOAT -> Values.canonical(c.type(), p.getDecimalValue());
            case START_OBJECT, START_ARRAY -> Values.parse(c.type(), JSON.readTree(p).toString());
            default -> throw new JsonParseException(p, "unexpected " + v + " for column " + c.name());
        };
    }

    private static FerryException malformed(TableDef t, String json, Exception cause) {
        return new FerryException(ErrorCode.INTERNAL, "ferry_pending holds malformed JSON for table " + t.name() + ": " + json, null, cause);
    }

    static Object[] key(TableDef t, String json) {
        Object[] integer = singleIntegerKey(t, json);
        if (integer != null) {
            return integer;
        }
        JsonNode node = parse(json, t);
        List<ColumnDef> keys = t.keyColumns();
        Object[] key = new Object[keys.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = value(keys.get(i), node.get(i));
        }
        return key;
    }

    /**
     * The common key, one integer column written as {@code [123]}, read without building a JSON tree
     * (an upload reads one key per row); null for any other key or form.
     */
    private static Object[] singleIntegerKey(TableDef t, String json) {
        List<ColumnDef> keys = t.keyColumns();
        int end = json.length() - 1;
        if (keys.size() != 1 || !keys.get(0).type().isInteger() || end < 2 || end > 20 || json.charAt(0) != '[' || json.charAt(end) != ']') {
            return null;
        }
        for (int i = 1; i < end; i++) {
            char ch = json.charAt(i);
            if ((ch < '0' || ch > '9') && !(ch == '-' && i == 1 && end > 2)) {
                return null;
            }
        }
        try {
            return new Object[] {Values.canonical(keys.get(0).type(), Long.parseLong(json, 1, end, 10))};
        } catch (NumberFormatException e) {
            return null; // beyond a long: the general path says what is wrong with it
        }
    }

    /** Key values as the server reported them (numbers or canonical text) → canonical values. */
    static Object[] key(TableDef t, List<Object> wire) {
        List<ColumnDef> keys = t.keyColumns();
        Object[] key = new Object[keys.size()];
        for (int i = 0; i < key.length; i++) {
            Object v = wire.get(i);
            key[i] = v == null ? null : v instanceof String s ? Values.parse(keys.get(i).type(), s) : Values.canonical(keys.get(i).type(), v);
        }
        return key;
    }

    private static Object value(ColumnDef c, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (c.type() == FerryType.BINARY) {
            return Values.unhex(v.asText());
        }
        if (v.isTextual()) {
            return Values.parse(c.type(), v.asText());
        }
        if (v.isBoolean()) {
            return Values.canonical(c.type(), v.booleanValue());
        }
        if (v.isIntegralNumber()) {
            return Values.canonical(c.type(), v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue());
        }
        return Values.canonical(c.type(), v.decimalValue());
    }

    private static JsonNode parse(String json, TableDef t) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed(t, json, e);
        }
    }
}
