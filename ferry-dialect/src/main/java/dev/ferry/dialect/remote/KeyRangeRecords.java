package dev.ferry.dialect.remote;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ReservedKeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a remote's {@code ferry_key_range} (docs/STATE-TABLES.md): one per range the server
 * handed it, with the next key of it not used yet ({@code next_key > range_last}: used up). Rows are
 * never deleted, so a key of any range it ever held stays recognizable as its own. Plain SQL that
 * SQLite and H2 both run.
 */
public final class KeyRangeRecords {

    /** One range and its next unused key. */
    public record Held(long first, long last, long next) {
        public long left() {
            return next > last ? 0 : last - next + 1;
        }
    }

    private KeyRangeRecords() {
    }

    /** Records ranges not recorded yet; a range already there (the same response read twice) is left as it is. */
    public static void add(Connection c, TableDef table, List<ReservedKeys> ranges) throws SQLException {
        for (ReservedKeys r : ranges) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_key_range (tbl, range_first, range_last, next_key)"
                    + " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM ferry_key_range WHERE tbl = ? AND range_first = ?)")) {
                ps.setString(1, table.name());
                ps.setLong(2, r.first());
                ps.setLong(3, r.last());
                ps.setLong(4, r.first());
                ps.setString(5, table.name());
                ps.setLong(6, r.first());
                ps.executeUpdate();
            }
        }
    }

    /** Every range of {@code table}, lowest first. */
    public static List<Held> of(Connection c, String table) throws SQLException {
        List<Held> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT range_first, range_last, next_key FROM ferry_key_range WHERE tbl = ? ORDER BY range_first")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Held(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    /** Unused keys per table that has ranges. */
    public static Map<String, Long> keysLeft(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT tbl, SUM(CASE WHEN next_key > range_last THEN 0"
                + " ELSE range_last - next_key + 1 END) FROM ferry_key_range GROUP BY tbl ORDER BY tbl")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    public static void setNext(Connection c, String table, long first, long next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_key_range SET next_key = ? WHERE tbl = ? AND range_first = ?")) {
            ps.setLong(1, next);
            ps.setString(2, table);
            ps.setLong(3, first);
            ps.executeUpdate();
        }
    }

    public static FerryException exhausted(String table) {
        return new FerryException(ErrorCode.KEY_RANGE_EXHAUSTED, "this remote has used every key of its key ranges for table " + table,
                "sync: the server hands a new range to a remote with fewer than half a range left (sync.keyRanges.size on the server sets a range's size)");
    }
}
