package dev.ferry.dialect.sqlite;

import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteKeyRanges;
import dev.ferry.dialect.ReservedKeys;
import dev.ferry.dialect.remote.KeyRangeRecords;
import dev.ferry.dialect.remote.SqlText;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Key ranges on SQLite, in pure SQL so that every client (the {@code sqlite3} shell included) takes part.
 * SQLite has no sequences and a column default must be constant, so the application names the key:
 * {@code (SELECT next_key FROM ferry_next_key WHERE table_name = 't')} in its INSERT, or the client
 * library's {@code RemoteDatabase.nextKey}. Two triggers per table, created with its first range:
 * {@code ferry_key_next_<t>} (AFTER INSERT) moves the range's {@code next_key} past a key the
 * application used, however it chose it; {@code ferry_key_guard_<t>} (BEFORE INSERT, only for the
 * application's writes) refuses a new row whose key is in none of this remote's ranges, which is the
 * collision with the server's keys that ranges exist to prevent: loud at the insert, never a silent
 * replacement at the next sync. A key the table already has passes (an {@code INSERT OR REPLACE} or
 * upsert of an existing row is an update).
 */
final class SqliteKeyRanges implements RemoteKeyRanges {
    static final String NEXT_KEY_VIEW = "CREATE VIEW IF NOT EXISTS ferry_next_key (table_name, next_key) AS"
            + " SELECT tbl, MIN(next_key) FROM ferry_key_range WHERE next_key <= range_last GROUP BY tbl";

    private final SqliteDialect dialect;

    SqliteKeyRanges(SqliteDialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public Map<String, Long> keysLeft(Connection c) throws SQLException {
        return KeyRangeRecords.keysLeft(c);
    }

    @Override
    public void receive(Connection c, TableDef table, List<ReservedKeys> ranges) throws SQLException {
        KeyRangeRecords.add(c, table, ranges);
        String t = dialect.quote(table.name());
        String key = "NEW." + dialect.quote(table.keyColumns().get(0).name());
        String name = SqlText.literal(table.name());
        String hint = "ferry: a new row of " + table.name() + " needs a key from this remote's key ranges: insert it with "
                + table.keyColumns().get(0).name() + " = (SELECT next_key FROM ferry_next_key WHERE table_name = '" + table.name() + "')";
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER IF NOT EXISTS " + dialect.quote("ferry_key_next_" + table.name()) + " AFTER INSERT ON " + t + " BEGIN"
                    + " UPDATE ferry_key_range SET next_key = " + key + " + 1 WHERE tbl = " + name
                    + " AND " + key + " >= next_key AND " + key + " <= range_last; END");
            s.execute("CREATE TRIGGER IF NOT EXISTS " + dialect.quote("ferry_key_guard_" + table.name()) + " BEFORE INSERT ON " + t
                    + " WHEN (SELECT applying FROM ferry_state WHERE id = 1) = 0"
                    + " AND NOT EXISTS (SELECT 1 FROM ferry_key_range WHERE tbl = " + name + " AND " + key + " BETWEEN range_first AND range_last)"
                    + " AND NOT EXISTS (SELECT 1 FROM " + t + " WHERE " + dialect.quote(table.keyColumns().get(0).name()) + " = " + key + ")"
                    + " BEGIN SELECT RAISE(ABORT, " + SqlText.literal(hint) + "); END");
        }
    }

    @Override
    public long take(Connection c, TableDef table) throws SQLException {
        for (KeyRangeRecords.Held h : KeyRangeRecords.of(c, table.name())) {
            if (h.left() > 0) {
                KeyRangeRecords.setNext(c, table.name(), h.first(), h.next() + 1);
                return h.next();
            }
        }
        throw KeyRangeRecords.exhausted(table.name());
    }
}
