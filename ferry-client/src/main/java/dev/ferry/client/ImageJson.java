package dev.ferry.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;

import java.util.List;

/**
 * Decodes the JSON that remote triggers write: row images ({@code {"col": value}}, binary as hex) and
 * key texts ({@code [1, "a"]}), into canonical values.
 */
final class ImageJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageJson() {
    }

    static Object[] image(TableDef t, String json) {
        JsonNode node = parse(json, t);
        Object[] row = new Object[t.columns().size()];
        for (int i = 0; i < row.length; i++) {
            ColumnDef c = t.columns().get(i);
            row[i] = value(c, node.get(c.name()));
        }
        return row;
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
            throw new FerryException(ErrorCode.INTERNAL, "ferry_pending holds malformed JSON for table " + t.name() + ": " + json, null, e);
        }
    }
}
