package dev.ferry.dialect.sqlite;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.RemoteKeyRanges;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.dialect.remote.RemoteCatalog;
import dev.ferry.dialect.remote.SqlText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * SQLite (3.38 or later, for the built-in JSON functions) as a remote.
 *
 * <ul>
 *   <li>Application tables are STRICT; see {@link SqliteValues} for the storage of each type. Their
 *       logical types live in {@code ferry_column}.</li>
 *   <li>Tracking is pure SQL ({@link SqliteTrackingTriggers}), so writes by any SQLite client are
 *       tracked; {@code change_seq} comes from {@code ferry_state.change_counter}.</li>
 *   <li>{@code ferry_pending.pk} is {@code json_array(...)} of the stored key values: {@link #keyTextSql}
 *       is {@code json_array(?, ...)} and {@link #bindKey} binds exactly like {@link #bind}.</li>
 *   <li>{@link #configure} turns on foreign keys, a 10 s busy timeout, WAL (so applications can read
 *       while a sync writes) and {@code synchronous = FULL} (so every commit, {@link #commitDurably}
 *       included, is on disk when it returns). Tracking needs no connection setting: an application's connection with
 *       default settings is tracked like Ferry's, {@code INSERT OR REPLACE} included.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class SqliteDialect implements RemoteDialect {
    @Override
    public String name() {
        return "sqlite";
    }

    /** SQLite has no practical identifier length limit, so only emptiness and NUL are refused. */
    @Override
    public String quote(String identifier) {
        return SqlText.identifier(identifier, 0);
    }

    @Override
    public String nativeType(ColumnDef column) {
        return SqliteValues.nativeType(column);
    }

    @Override
    public String placeholder(ColumnDef column) {
        return "?";
    }

    @Override
    public void bind(PreparedStatement ps, int index, ColumnDef column, Object canonical) throws SQLException {
        SqliteValues.bind(ps, index, column, canonical);
    }

    @Override
    public Object read(ResultSet rs, int index, ColumnDef column) throws SQLException {
        return SqliteValues.read(rs, index, column);
    }

    @Override
    public SqlFailure classify(SQLException e) {
        return SqliteErrors.classify(e);
    }

    @Override
    public void createTable(Connection c, TableDef table) throws SQLException {
        List<String> parts = new ArrayList<>();
        for (ColumnDef col : table.columns()) {
            // Key columns are NOT NULL explicitly: outside STRICT, SQLite would allow NULL keys.
            // A column the server fills itself may stay empty locally: the sync that uploads the row brings the server's value back.
            boolean notNull = table.primaryKey().contains(col.name()) || !col.nullable() && !table.filledByDatabase(col);
            parts.add(quote(col.name()) + " " + nativeType(col) + SqliteValues.defaultClause(col) + (notNull ? " NOT NULL" : ""));
        }
        parts.add("PRIMARY KEY (" + quotedList(table.primaryKey()) + ")");
        for (ColumnDef key : table.keyColumns()) {
            if (key.padded()) {
                // The consolidated database ignores a key's trailing spaces ('ab' = 'ab   '), this database does not:
                // refuse them here, where the application writes, rather than meet two rows for one key later.
                parts.add("CHECK (" + quote(key.name()) + " NOT LIKE '% ')");
            }
        }
        for (ForeignKeyDef fk : table.foreignKeys()) {
            parts.add("FOREIGN KEY (" + quotedList(fk.columns()) + ") REFERENCES " + quote(fk.referencedTable())
                    + " (" + quotedList(fk.referencedColumns()) + ")");
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + quote(table.name()) + " (\n  " + String.join(",\n  ", parts) + "\n) STRICT");
        }
    }

    @Override
    public void addColumn(Connection c, TableDef table, ColumnDef column) throws SQLException {
        String def = SqliteValues.defaultClause(column);
        boolean notNull = !column.nullable() && !def.isEmpty() && !table.filledByDatabase(column);
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + quote(table.name()) + " ADD COLUMN " + quote(column.name()) + " " + nativeType(column) + def + (notNull ? " NOT NULL" : ""));
        }
    }

    @Override
    public boolean dropColumn(Connection c, TableDef table, String column) throws SQLException {
        // SQLite refuses to drop a column a trigger names, and the tracking triggers name every column: they
        // go first (the upgrade installs them again for the new schema).
        SqliteTrackingTriggers.dropAll(c);
        java.sql.Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + quote(table.name()) + " DROP COLUMN " + quote(column));
            if (sp != null) {
                c.releaseSavepoint(sp);
            }
            return true;
        } catch (SQLException e) {
            if (sp != null) {
                c.rollback(sp);
            }
            return false;
        }
    }

    @Override
    public RemoteKeyRanges keyRanges() {
        return new SqliteKeyRanges(this);
    }

    @Override
    public List<ForeignKeyDef> foreignKeys(Connection c, String table) throws SQLException {
        // pragma_foreign_key_list gives one row per column: id numbers the keys, seq the columns in key order.
        Map<Integer, List<String[]>> byId = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byId.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        List<ForeignKeyDef> out = new ArrayList<>();
        for (Map.Entry<Integer, List<String[]>> e : byId.entrySet()) {
            List<String[]> cols = e.getValue();
            out.add(new ForeignKeyDef("fk" + e.getKey(), cols.stream().map(x -> x[1]).toList(), cols.get(0)[0], cols.stream().map(x -> x[2]).toList()));
        }
        return out;
    }

    @Override
    public void installTracking(Connection c, SyncSchema schema) throws SQLException {
        SqliteStateTables.create(c);
        RemoteCatalog.write(c, schema);
        SqliteTrackingTriggers.install(c, schema.tables());
        SqliteStateTables.createRowStateView(c, schema);
    }

    /** Re-creates the triggers when the application added or dropped a UNIQUE index, or they come from an older Ferry. */
    @Override
    public boolean refreshTracking(Connection c, List<TableDef> tables) throws SQLException {
        // Remotes made by an older Ferry lack the tables added since (the triggers' scratch table, ferry_download_skipped).
        SqliteStateTables.create(c);
        if (SqliteTrackingTriggers.upToDate(c, tables)) {
            return false;
        }
        SqliteTrackingTriggers.install(c, tables);
        return true;
    }

    @Override
    public String upsertSql(TableDef table) {
        List<String> marks = new ArrayList<>();
        for (ColumnDef col : table.columns()) {
            marks.add(placeholder(col));
        }
        List<String> sets = new ArrayList<>();
        for (ColumnDef col : table.nonKeyColumns()) {
            sets.add(quote(col.name()) + " = excluded." + quote(col.name()));
        }
        List<String> names = table.columns().stream().map(ColumnDef::name).toList();
        return "INSERT INTO " + quote(table.name()) + " (" + quotedList(names) + ") VALUES (" + String.join(", ", marks)
                + ") ON CONFLICT (" + quotedList(table.primaryKey()) + ") DO "
                + (sets.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", sets));
    }

    @Override
    public String keyTextSql(TableDef table) {
        return "json_array(" + String.join(", ", Collections.nCopies(table.primaryKey().size(), "?")) + ")";
    }

    @Override
    public int bindKey(PreparedStatement ps, int index, TableDef table, Object[] key) throws SQLException {
        List<ColumnDef> keyColumns = table.keyColumns();
        for (int i = 0; i < keyColumns.size(); i++) {
            bind(ps, index + i, keyColumns.get(i), key[i]);
        }
        return index + keyColumns.size();
    }

    @Override
    public long nextChangeSeq(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE ferry_state SET change_counter = change_counter + 1 WHERE id = 1");
            try (ResultSet rs = s.executeQuery("SELECT change_counter FROM ferry_state WHERE id = 1")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void configure(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = ON");
            s.execute("PRAGMA busy_timeout = 10000");
            // In WAL mode NORMAL may lose the last commits on power loss; FULL syncs the WAL at every commit.
            s.execute("PRAGMA synchronous = FULL");
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                // The pragma answers with the mode now in effect; nothing to do with it (in-memory databases stay "memory").
                rs.next();
            }
        }
    }

    private String quotedList(List<String> names) {
        List<String> q = new ArrayList<>();
        for (String n : names) {
            q.add(quote(n));
        }
        return String.join(", ", q);
    }
}
