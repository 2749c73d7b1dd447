package dev.ferry.server.conflict;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns rows into the named images resolvers see and into the JSON the conflict log and resolution
 * procedures get: an object of column name to canonical text (binary as base64), null for SQL NULL.
 */
public final class RowImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TableDef table;

    public RowImages(TableDef table) {
        this.table = table;
    }

    public TableDef table() {
        return table;
    }

    /** A row in table column order as an unmodifiable column → value map; null stays null. */
    public Map<String, Object> named(Object[] row) {
        return row == null ? null : named(table.columns(), row);
    }

    public Map<String, Object> namedKey(Object[] key) {
        return named(table.keyColumns(), key);
    }

    private static Map<String, Object> named(List<ColumnDef> columns, Object[] values) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(columns.get(i).name(), values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The inverse of {@link #named}: a full row, in column order, converted to canonical values. */
    public Object[] row(Map<String, Object> named) {
        for (String column : named.keySet()) {
            if (table.columnIndex(column) < 0) {
                throw new FerryException(ErrorCode.ROW_CONFLICT_UNRESOLVED, "the resolution names column " + column
                        + ", which " + table.name() + " does not have");
            }
        }
        Object[] row = new Object[table.columns().size()];
        for (int i = 0; i < row.length; i++) {
            ColumnDef c = table.columns().get(i);
            if (!named.containsKey(c.name())) {
                throw new FerryException(ErrorCode.ROW_CONFLICT_UNRESOLVED, "the resolution leaves out column " + c.name()
                        + " of " + table.name() + "; a written row must have every column");
            }
            row[i] = Values.canonical(c.type(), named.get(c.name()));
        }
        return row;
    }

    /** JSON text of a named image, or null for a missing one. */
    public String json(Map<String, Object> named) {
        if (named == null) {
            return null;
        }
        ObjectNode o = JSON.createObjectNode();
        for (Map.Entry<String, Object> e : named.entrySet()) {
            ColumnDef c = table.column(e.getKey());
            o.put(e.getKey(), Values.format(c.type(), e.getValue()));
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot encode a row of " + table.name(), null, e);
        }
    }
}
