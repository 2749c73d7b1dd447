package dev.ferry.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;

import java.util.List;

/**
 * A primary key as a user types it for {@code ferry remote discard} and {@code retry}: a JSON array
 * like {@code ferry_pending.pk} shows it ({@code [42]}, {@code ["a", 7]}), or for a one-column key its
 * plain value ({@code 42}, {@code a}; a text key that itself starts with {@code [} must be given as an
 * array). Anything else is {@code USAGE} naming the key and the table.
 */
final class KeyArgument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyArgument() {
    }

    /** The key's canonical values, in primary-key order. */
    static Object[] parse(TableDef t, String text) {
        List<ColumnDef> keys = t.keyColumns();
        if (text == null || text.isBlank()) {
            throw invalid(t, text, "it is empty");
        }
        if (!text.trim().startsWith("[")) {
            if (keys.size() != 1) {
                throw invalid(t, text, t.name() + " has a key of " + keys.size() + " columns " + t.primaryKey());
            }
            return new Object[] {value(t, text, keys.get(0), text)};
        }
        JsonNode array;
        try {
            array = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid(t, text, "it is not a JSON array");
        }
        if (array == null || !array.isArray() || array.size() != keys.size()) {
            throw invalid(t, text, t.name() + " has a key of " + keys.size() + " column" + (keys.size() == 1 ? " " : "s ") + t.primaryKey());
        }
        Object[] key = new Object[keys.size()];
        for (int i = 0; i < key.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isValueNode() || v.isNull()) {
                throw invalid(t, text, "key column " + keys.get(i).name() + " needs a value");
            }
            key[i] = value(t, text, keys.get(i), v.isTextual() ? v.asText() : v.toString());
        }
        return key;
    }

    private static Object value(TableDef t, String text, ColumnDef column, String value) {
        try {
            return Values.parse(column.type(), value);
        } catch (FerryException e) {
            throw invalid(t, text, e.getMessage() + " for key column " + column.name());
        }
    }

    private static FerryException invalid(TableDef t, String text, String why) {
        return new FerryException(ErrorCode.USAGE, "'" + text + "' is not a key of table " + t.name() + ": " + why,
                "give the key as ferry_pending.pk shows it, e.g. --key '[42]', or as the plain value for a one-column key");
    }
}
