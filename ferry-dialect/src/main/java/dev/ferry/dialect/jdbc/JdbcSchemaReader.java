package dev.ferry.dialect.jdbc;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ColumnGeneration;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.SchemaRefusal;
import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the user tables of a connection's current catalog and schema through
 * {@link DatabaseMetaData}, implementing the contract of
 * {@link dev.ferry.dialect.ConsolidatedDialect#readSchemaReport}:
 * <ul>
 *   <li>tables whose name starts with {@code ferry_} or {@code flyway_} (any case) are never returned;</li>
 *   <li>every problem is a {@link SchemaRefusal} (all of them, not the first), and a table with one is
 *       left out whole: an unsupported column type, a key Ferry cannot use, a key collation;</li>
 *   <li>listing all: a table without primary key is skipped and listed in
 *       {@link SchemaReading#withoutKey()};</li>
 *   <li>listing {@code only}: a missing table is {@code TABLE_NOT_FOUND}, a table without primary key is
 *       {@code SCHEMA_UNSUPPORTED_TYPE}; a name matches exactly, or else case-insensitively when that
 *       is unambiguous (so {@code orders} finds H2's {@code ORDERS});</li>
 *   <li>columns in ordinal order, primary key in key-sequence order, foreign keys (composite ones
 *       included, columns in key-sequence order) only when they reference a returned table;</li>
 *   <li>each column's {@link ColumnGeneration}, from the dialect's generation query; a computed key
 *       column is {@code SCHEMA_UNSUPPORTED_TYPE}.</li>
 *   <li>the mapper learns which columns are key columns, so it can refuse a key whose collation the
 *       remotes cannot reproduce and mark a key that ignores trailing spaces.</li>
 * </ul>
 * Names are returned exactly as the metadata stores them. The per-database parts are the
 * {@link ColumnTypeMapper} and, where the driver's metadata cannot be trusted, a {@link PrimaryKeyReader}.
 * Not thread-safe for concurrent use of one connection, like JDBC itself.
 */
public final class JdbcSchemaReader {
    private final ColumnTypeMapper mapper;
    private final String generationSql;
    private final PrimaryKeyReader keyReader;
    private final TableListing listing;

    /**
     * Reads primary keys through {@link DatabaseMetaData#getPrimaryKeys}.
     *
     * @param generationSql the database's query for which columns it fills itself: one parameter, the
     *                      table name (in the connection's current schema); one row per column with the
     *                      column name, {@code is_generated} ({@code ALWAYS} for a computed column),
     *                      {@code is_identity} ({@code YES}/{@code NO}) and {@code identity_generation}
     *                      ({@code ALWAYS}/{@code BY DEFAULT}), as {@code information_schema.columns} has them
     */
    public JdbcSchemaReader(ColumnTypeMapper mapper, String generationSql) {
        this(mapper, generationSql, JdbcSchemaReader::metadataPrimaryKey);
    }

    public JdbcSchemaReader(ColumnTypeMapper mapper, String generationSql, PrimaryKeyReader keys) {
        this(mapper, generationSql, keys, TableListing.PLAIN);
    }

    public JdbcSchemaReader(ColumnTypeMapper mapper, String generationSql, PrimaryKeyReader keys, TableListing listing) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.generationSql = Objects.requireNonNull(generationSql, "generationSql");
        this.keyReader = Objects.requireNonNull(keys, "keys");
        this.listing = Objects.requireNonNull(listing, "listing");
    }

    /** Whether a table name is one of Ferry's or Flyway's own tables, which are never synchronized. */
    public static boolean isSystemTable(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("ferry_") || lower.startsWith("flyway_");
    }

    /**
     * Reads every candidate table and collects every problem instead of stopping at the first: each
     * column is mapped, each key checked, and a table with any refusal is left out whole (issue 13: one
     * report of everything). Foreign keys are kept only between accepted tables.
     */
    public SchemaReading report(Connection c, List<String> only, ColumnChoice choice) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Scope scope = new Scope(c.getCatalog(), c.getSchema());
        List<String> existing = userTables(c, md, scope);
        boolean named = only != null;
        List<SchemaRefusal> refusals = new ArrayList<>();
        List<String> candidates = named ? resolve(only, existing, refusals) : existing;

        Map<String, List<String>> keys = new LinkedHashMap<>();
        List<String> withoutKey = new ArrayList<>();
        for (String table : candidates) {
            List<String> pk = keyReader.read(c, table);
            if (!pk.isEmpty()) {
                keys.put(table, pk);
            } else if (named) {
                refusals.add(new SchemaRefusal(table, null, ErrorCode.SCHEMA_UNSUPPORTED_TYPE, "table " + table + " has no primary key",
                        "add a primary key to " + table + ": Ferry identifies rows by it"));
            } else {
                withoutKey.add(table);
            }
        }
        Map<String, List<ColumnDef>> accepted = new LinkedHashMap<>();
        Map<String, Map<String, String>> nativeTypes = new LinkedHashMap<>();
        Map<String, List<String>> leftOut = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : keys.entrySet()) {
            String table = e.getKey();
            int before = refusals.size();
            Map<String, String> types = new LinkedHashMap<>();
            List<String> excluded = new ArrayList<>();
            Map<String, String> declaredDefaults = new LinkedHashMap<>();
            List<ColumnDef> columns = withDefaults(withGeneration(c, table,
                    columns(md, scope, table, e.getValue(), choice, types, declaredDefaults, excluded, refusals)), declaredDefaults);
            checkKeyTypes(table, columns, e.getValue(), refusals);
            if (refusals.size() == before) {
                accepted.put(table, columns);
                nativeTypes.put(table, types);
                if (!excluded.isEmpty()) {
                    leftOut.put(table, excluded);
                }
            }
        }
        List<TableDef> out = new ArrayList<>();
        for (Map.Entry<String, List<ColumnDef>> e : accepted.entrySet()) {
            String table = e.getKey();
            out.add(new TableDef(table, e.getValue(), keys.get(table), foreignKeys(md, scope, table, accepted.keySet())));
        }
        return new SchemaReading(out, refusals, nativeTypes, withoutKey, leftOut);
    }

    private List<String> userTables(Connection c, DatabaseMetaData md, Scope scope) throws SQLException {
        Set<String> parts = new HashSet<>();
        if (listing.partsSql() != null) {
            try (PreparedStatement ps = c.prepareStatement(listing.partsSql()); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    parts.add(rs.getString(1));
                }
            }
        }
        List<String> names = new ArrayList<>();
        try (ResultSet rs = md.getTables(scope.catalog, escape(md, scope.schema), null, null)) {
            while (rs.next()) {
                String type = rs.getString("TABLE_TYPE");
                String name = rs.getString("TABLE_NAME");
                if (type != null && listing.types().contains(type.toUpperCase(Locale.ROOT)) && scope.owns(rs, "TABLE_CAT", "TABLE_SCHEM")
                        && !isSystemTable(name) && !parts.contains(name)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static List<String> resolve(List<String> only, List<String> existing, List<SchemaRefusal> refusals) {
        Set<String> out = new LinkedHashSet<>();
        for (String wanted : only) {
            if (existing.contains(wanted)) {
                out.add(wanted);
                continue;
            }
            List<String> folded = existing.stream().filter(n -> n.equalsIgnoreCase(wanted)).toList();
            if (folded.size() != 1) {
                refusals.add(new SchemaRefusal(wanted, null, ErrorCode.TABLE_NOT_FOUND, folded.isEmpty()
                        ? "table " + wanted + " does not exist in the consolidated database"
                        : "table " + wanted + " matches several tables that differ only in case: " + folded,
                        "check the tables: setting against the database's table names (" + existing + ")"));
                continue;
            }
            out.add(folded.get(0));
        }
        return new ArrayList<>(out);
    }

    private static List<String> metadataPrimaryKey(Connection c, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Scope scope = new Scope(c.getCatalog(), c.getSchema());
        Map<Integer, String> bySeq = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(scope.catalog, scope.schema, table)) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME")) && scope.owns(rs, "TABLE_CAT", "TABLE_SCHEM")) {
                    bySeq.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
        }
        return new ArrayList<>(bySeq.values());
    }

    /** The columns the mapper accepts; each one it refuses is added to {@code refusals}, and {@code types} gets each native type. */
    private List<ColumnDef> columns(DatabaseMetaData md, Scope scope, String table, List<String> primaryKey, ColumnChoice choice,
                                    Map<String, String> types, Map<String, String> declaredDefaults, List<String> leftOut,
                                    List<SchemaRefusal> refusals) throws SQLException {
        Map<Integer, NativeColumn> byPosition = new TreeMap<>();
        Set<String> required = new HashSet<>();
        try (ResultSet rs = md.getColumns(scope.catalog, escape(md, scope.schema), escape(md, table), null)) {
            while (rs.next()) {
                // Patterns are escaped, but filter again: some drivers treat the escape loosely.
                if (!table.equals(rs.getString("TABLE_NAME")) || !scope.owns(rs, "TABLE_CAT", "TABLE_SCHEM")) {
                    continue;
                }
                byPosition.put(rs.getInt("ORDINAL_POSITION"), new NativeColumn(table, rs.getString("COLUMN_NAME"),
                        rs.getString("TYPE_NAME"), rs.getInt("DATA_TYPE"), intOrNull(rs, "COLUMN_SIZE"),
                        intOrNull(rs, "DECIMAL_DIGITS"), rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                        primaryKey.contains(rs.getString("COLUMN_NAME"))));
                if (requiredOnInsert(rs)) {
                    required.add(rs.getString("COLUMN_NAME"));
                }
                declaredDefaults.put(rs.getString("COLUMN_NAME"), rs.getString("COLUMN_DEF"));
            }
        }
        List<ColumnDef> out = new ArrayList<>();
        // A column left out by the configuration is never mapped: leaving out a type Ferry cannot carry is how a user keeps its table.
        for (NativeColumn col : ChosenColumns.apply(table, new ArrayList<>(byPosition.values()), required, choice, refusals, leftOut)) {
            types.put(col.name(), col.typeName());
            try {
                out.add(mapper.map(col));
            } catch (FerryException e) {
                refusals.add(SchemaRefusal.of(table, col.name(), e));
            }
        }
        return out;
    }

    /** Each column with the constant default its table declares, if it is one the remotes can declare too ({@link ConstantDefault}). */
    private static List<ColumnDef> withDefaults(List<ColumnDef> columns, Map<String, String> declared) {
        List<ColumnDef> out = new ArrayList<>(columns.size());
        for (ColumnDef col : columns) {
            String value = ConstantDefault.of(declared.get(col.name()), col);
            out.add(value == null ? col : col.withDefault(value));
        }
        return out;
    }

    /** NOT NULL, without a default, and not filled by the database (identity, auto-increment, generated). */
    private static boolean requiredOnInsert(ResultSet rs) throws SQLException {
        String defaultValue = rs.getString("COLUMN_DEF");
        boolean filled = "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT")) || "YES".equalsIgnoreCase(rs.getString("IS_GENERATEDCOLUMN"));
        return rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls && !filled
                && (defaultValue == null || defaultValue.isBlank() || "NULL".equalsIgnoreCase(defaultValue.trim()));
    }

    /** Marks the columns the database fills itself (issue 10, defect 11): uploads must never write them. */
    private List<ColumnDef> withGeneration(Connection c, String table, List<ColumnDef> columns) throws SQLException {
        Map<String, ColumnGeneration> generated = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(generationSql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("ALWAYS".equalsIgnoreCase(rs.getString(2))) {
                        generated.put(rs.getString(1), ColumnGeneration.COMPUTED);
                    } else if ("YES".equalsIgnoreCase(rs.getString(3)) && "ALWAYS".equalsIgnoreCase(rs.getString(4))) {
                        generated.put(rs.getString(1), ColumnGeneration.IDENTITY_ALWAYS);
                    }
                }
            }
        }
        List<ColumnDef> out = new ArrayList<>(columns.size());
        for (ColumnDef col : columns) {
            ColumnGeneration g = generated.get(col.name());
            out.add(g == null ? col : col.withGeneration(g));
        }
        return out;
    }

    private static void checkKeyTypes(String table, List<ColumnDef> columns, List<String> pk, List<SchemaRefusal> refusals) {
        for (ColumnDef col : columns) {
            if (pk.contains(col.name()) && col.generation() == ColumnGeneration.COMPUTED) {
                refusals.add(new SchemaRefusal(table, col.name(), ErrorCode.SCHEMA_UNSUPPORTED_TYPE, "table " + table + " key column " + col.name()
                        + " is computed by the database (a generated column), so a remote cannot give its new rows a key",
                        "key " + table + " by ordinary or identity columns, or leave it out of the synchronized tables"));
            } else if (pk.contains(col.name()) && !col.type().usableInKey()) {
                refusals.add(new SchemaRefusal(table, col.name(), ErrorCode.SCHEMA_UNSUPPORTED_TYPE, "table " + table + " key column " + col.name()
                        + " has type " + col.typeLabel() + ", which Ferry cannot use in a primary key",
                        "use an integer, decimal, text, date/time or UUID key for " + table));
            }
        }
    }

    private static List<ForeignKeyDef> foreignKeys(DatabaseMetaData md, Scope scope, String table, Set<String> returned)
            throws SQLException {
        // name -> key sequence -> (fk column, pk column); TreeMaps keep the output deterministic.
        Map<String, TreeMap<Integer, String[]>> byName = new TreeMap<>();
        Map<String, String> target = new LinkedHashMap<>();
        try (ResultSet rs = md.getImportedKeys(scope.catalog, scope.schema, table)) {
            while (rs.next()) {
                String parent = rs.getString("PKTABLE_NAME");
                if (!returned.contains(parent) || !scope.owns(rs, "PKTABLE_CAT", "PKTABLE_SCHEM")) {
                    continue;
                }
                String name = rs.getString("FK_NAME");
                // Unnamed keys (rare) are told apart by their target table.
                String key = (name == null ? "" : name) + "\0" + parent;
                target.put(key, parent);
                byName.computeIfAbsent(key, k -> new TreeMap<>()).put(rs.getInt("KEY_SEQ"),
                        new String[] {rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME")});
            }
        }
        List<ForeignKeyDef> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, String[]>> e : byName.entrySet()) {
            List<String> cols = new ArrayList<>();
            List<String> refs = new ArrayList<>();
            for (String[] pair : e.getValue().values()) {
                cols.add(pair[0]);
                refs.add(pair[1]);
            }
            String name = e.getKey().substring(0, e.getKey().indexOf('\0'));
            out.add(new ForeignKeyDef(name.isEmpty() ? null : name, cols, target.get(e.getKey()), refs));
        }
        return out;
    }

    private static String escape(DatabaseMetaData md, String name) throws SQLException {
        if (name == null) {
            return null;
        }
        String esc = md.getSearchStringEscape();
        if (esc == null || esc.isEmpty()) {
            return name;
        }
        return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }

    private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** The catalog and schema of the connection; null parts are not checked. */
    private record Scope(String catalog, String schema) {
        boolean owns(ResultSet rs, String catalogColumn, String schemaColumn) throws SQLException {
            if (schema != null) {
                return schema.equals(rs.getString(schemaColumn));
            }
            return catalog == null || catalog.equals(rs.getString(catalogColumn));
        }
    }
}
