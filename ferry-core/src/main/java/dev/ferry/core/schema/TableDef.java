package dev.ferry.core.schema;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.util.ArrayList;
import java.util.List;

/**
 * A synchronized table: its columns in a fixed order (the order rows travel in), its primary key and
 * its foreign keys. Immutable and thread-safe.
 */
public record TableDef(String name, List<ColumnDef> columns, List<String> primaryKey, List<ForeignKeyDef> foreignKeys) {
    public TableDef {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        foreignKeys = List.copyOf(foreignKeys);
        if (primaryKey.isEmpty()) {
            throw new FerryException(ErrorCode.SCHEMA_UNSUPPORTED_TYPE, "table " + name + " has no primary key");
        }
    }

    public int columnIndex(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    public ColumnDef column(String column) {
        int i = columnIndex(column);
        if (i < 0) {
            throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "table " + name + " has no column " + column);
        }
        return columns.get(i);
    }

    /** Positions of the primary key columns within {@link #columns()}, in key order. */
    public int[] keyIndexes() {
        int[] idx = new int[primaryKey.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = columnIndex(primaryKey.get(i));
        }
        return idx;
    }

    public List<ColumnDef> keyColumns() {
        List<ColumnDef> keys = new ArrayList<>();
        for (String k : primaryKey) {
            keys.add(column(k));
        }
        return keys;
    }

    /** Columns that are not part of the primary key, in table order. */
    public List<ColumnDef> nonKeyColumns() {
        List<ColumnDef> rest = new ArrayList<>();
        for (ColumnDef c : columns) {
            if (!primaryKey.contains(c.name())) {
                rest.add(c);
            }
        }
        return rest;
    }

    /**
     * True when the consolidated database fills this column and an upload never writes it: a
     * {@link ColumnGeneration#COMPUTED} column, or a {@link ColumnGeneration#IDENTITY_ALWAYS} column
     * outside the primary key.
     */
    public boolean filledByDatabase(ColumnDef column) {
        return switch (column.generation()) {
            case NONE -> false;
            case COMPUTED -> true;
            case IDENTITY_ALWAYS -> !primaryKey.contains(column.name());
        };
    }

    /** The columns an uploaded insert writes, in table order: all but those {@link #filledByDatabase filled by the database}. */
    public List<ColumnDef> writableColumns() {
        List<ColumnDef> out = new ArrayList<>();
        for (ColumnDef c : columns) {
            if (!filledByDatabase(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The columns an uploaded update sets, in table order: the writable ones outside the key. Identity
     * columns never change, and the databases refuse to set a {@code GENERATED ALWAYS} one even to its
     * own value.
     */
    public List<ColumnDef> updatableColumns() {
        List<ColumnDef> out = new ArrayList<>();
        for (ColumnDef c : nonKeyColumns()) {
            if (c.generation() == ColumnGeneration.NONE) {
                out.add(c);
            }
        }
        return out;
    }

    /** True when an uploaded insert writes a {@code GENERATED ALWAYS} identity column (so needs {@code OVERRIDING SYSTEM VALUE}). */
    public boolean insertsIdentityAlways() {
        return writableColumns().stream().anyMatch(c -> c.generation() == ColumnGeneration.IDENTITY_ALWAYS);
    }

    /** Extracts the key values from a full row whose values follow {@link #columns()}. */
    public Object[] keyOf(Object[] row) {
        int[] idx = keyIndexes();
        Object[] key = new Object[idx.length];
        for (int i = 0; i < idx.length; i++) {
            key[i] = row[idx[i]];
        }
        return key;
    }
}
