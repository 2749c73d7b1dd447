package dev.ferry.dialect.h2;

import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteKeyRanges;
import dev.ferry.dialect.ReservedKeys;
import dev.ferry.dialect.remote.KeyRangeRecords;
import dev.ferry.dialect.remote.SqlText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Key ranges on H2: a sequence per table ({@code "ferry_key_<t>"}, NO CACHE, MINVALUE and MAXVALUE the
 * range's bounds) is the key column's default, so the application's plain {@code INSERT} that leaves
 * the key out takes the next key of its range, and a range used up fails the insert ("has run out of
 * numbers") instead of issuing a key another database owns. A sequence covers one range at a time:
 * when fewer than half of the current range's keys are left and a later range is held, the sequence
 * moves on to it (the rest of the current one is left unused), so after every sync the application
 * has at least half a range to insert with offline. The record's {@code next_key} of the current
 * range follows the sequence ({@code BASE_VALUE}; null once it ran out). {@link H2KeyRangeGuard} refuses
 * an application's new row with a key outside the ranges, as SQLite's guard trigger does.
 */
final class H2RemoteKeyRanges implements RemoteKeyRanges {
    private final H2RemoteDialect dialect;

    H2RemoteKeyRanges(H2RemoteDialect dialect) {
        this.dialect = dialect;
    }

    private static String sequence(String table) {
        return SqlText.identifier("ferry_key_" + table, 0);
    }

    @Override
    public Map<String, Long> keysLeft(Connection c) throws SQLException {
        for (String table : KeyRangeRecords.keysLeft(c).keySet()) {
            follow(c, table);
            moveOnIfLow(c, table);
        }
        return KeyRangeRecords.keysLeft(c);
    }

    @Override
    public void receive(Connection c, TableDef table, List<ReservedKeys> ranges) throws SQLException {
        KeyRangeRecords.add(c, table, ranges);
        Long base = baseValue(c, table.name());
        if (base == null && !sequenceExists(c, table.name())) {
            KeyRangeRecords.Held first = firstUnused(c, table.name());
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SEQUENCE " + sequence(table.name()) + " START WITH " + first.next() + " MINVALUE " + first.first()
                        + " MAXVALUE " + first.last() + " NO CYCLE NO CACHE");
                s.execute("ALTER TABLE " + dialect.quote(table.name()) + " ALTER COLUMN " + dialect.quote(table.keyColumns().get(0).name())
                        + " SET DEFAULT NEXT VALUE FOR " + sequence(table.name()));
                s.execute("CREATE TRIGGER IF NOT EXISTS " + SqlText.identifier(H2KeyRangeGuard.PREFIX + table.name(), 0) + " BEFORE INSERT ON "
                        + dialect.quote(table.name()) + " FOR EACH ROW CALL " + SqlText.literal(H2KeyRangeGuard.class.getName()));
            }
            return;
        }
        follow(c, table.name());
        moveOnIfLow(c, table.name());
    }

    @Override
    public long take(Connection c, TableDef table) throws SQLException {
        if (!sequenceExists(c, table.name())) {
            throw KeyRangeRecords.exhausted(table.name());
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NEXT VALUE FOR " + sequence(table.name()))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if (e.getErrorCode() == org.h2.api.ErrorCode.SEQUENCE_EXHAUSTED) {
                throw KeyRangeRecords.exhausted(table.name());
            }
            throw e;
        }
    }

    /** Brings the current range's {@code next_key} up to the sequence. */
    private void follow(Connection c, String table) throws SQLException {
        Long[] bounds = bounds(c, table);
        if (bounds == null) {
            return;
        }
        Long base = baseValue(c, table);
        KeyRangeRecords.setNext(c, table, bounds[0], base == null ? bounds[1] + 1 : base);
    }

    private void moveOnIfLow(Connection c, String table) throws SQLException {
        Long[] bounds = bounds(c, table);
        if (bounds == null) {
            return;
        }
        List<KeyRangeRecords.Held> held = KeyRangeRecords.of(c, table);
        KeyRangeRecords.Held current = held.stream().filter(h -> h.first() == bounds[0]).findFirst().orElse(null);
        KeyRangeRecords.Held later = held.stream().filter(h -> h.first() > bounds[0] && h.left() > 0).findFirst().orElse(null);
        if (later == null || (current != null && current.left() * 2 >= current.last() - current.first() + 1)) {
            return;
        }
        if (current != null) {
            KeyRangeRecords.setNext(c, table, current.first(), current.last() + 1);
        }
        try (Statement s = c.createStatement()) {
            // MINVALUE first: the bounds must hold the new start at every step of the ALTER.
            s.execute("ALTER SEQUENCE " + sequence(table) + " MINVALUE " + Math.min(later.first(), bounds[0]) + " MAXVALUE "
                    + Math.max(later.last(), bounds[1]) + " START WITH " + later.next() + " RESTART WITH " + later.next());
            s.execute("ALTER SEQUENCE " + sequence(table) + " MINVALUE " + later.first() + " MAXVALUE " + later.last());
        }
    }

    private KeyRangeRecords.Held firstUnused(Connection c, String table) throws SQLException {
        return KeyRangeRecords.of(c, table).stream().filter(h -> h.left() > 0).findFirst().orElseThrow(() -> KeyRangeRecords.exhausted(table));
    }

    private boolean sequenceExists(Connection c, String table) throws SQLException {
        return bounds(c, table) != null;
    }

    /** MINVALUE and MAXVALUE of the table's sequence (the range it covers), or null when it has none. */
    private Long[] bounds(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MINIMUM_VALUE, MAXIMUM_VALUE FROM INFORMATION_SCHEMA.SEQUENCES"
                + " WHERE SEQUENCE_SCHEMA = SCHEMA() AND SEQUENCE_NAME = ?")) {
            ps.setString(1, "ferry_key_" + table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    /** The next value the sequence gives, null when it ran out (or does not exist). */
    private Long baseValue(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = SCHEMA() AND SEQUENCE_NAME = ?")) {
            ps.setString(1, "ferry_key_" + table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }
}
