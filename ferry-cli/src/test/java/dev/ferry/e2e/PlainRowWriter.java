package dev.ferry.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link RowWrite} the way an application would, on a connection the caller opened with the
 * driver's defaults (SQLite: no foreign keys, no recursive triggers), with the statements each
 * database offers: {@code INSERT OR REPLACE}, {@code REPLACE INTO}, {@code MERGE}, upserts. A write the
 * database refuses with an integrity error (CHECK, foreign key, duplicate key) changes nothing and is
 * reported as changing no row; any other failure is a bug of the test and thrown.
 */
final class PlainRowWriter {
    private final String kind;

    /** @param kind sqlite, h2 (a remote), postgresql or mariadb; names are written unquoted, as applications do (issue 13) */
    PlainRowWriter(String kind) {
        this.kind = kind;
    }

    /**
     * @param lastWritten the row {@link RowWrite.EditLastRow} edits, or null
     * @return the rows the write changed (empty when refused or when it matched nothing)
     */
    List<RowKey> write(Connection c, RowWrite w, RowKey lastWritten) throws SQLException {
        try {
            if (w instanceof RowWrite.PutCustomer p) {
                return put(c, RowKey.customer(p.id()), p.name(), p.balance(), p.via());
            } else if (w instanceof RowWrite.PutOrder p) {
                return put(c, RowKey.order(p.id()), p.customerId(), p.qty(), p.via());
            } else if (w instanceof RowWrite.DeleteOrder d) {
                return update(c, "DELETE FROM orders WHERE id = ?", d.id()) > 0 ? List.of(RowKey.order(d.id())) : List.of();
            } else if (w instanceof RowWrite.DeleteCustomer d) {
                return deleteCustomer(c, d);
            } else {
                return editLast(c, lastWritten, ((RowWrite.EditLastRow) w).value());
            }
        } catch (SQLException e) {
            if (refused(e)) {
                return List.of();
            }
            throw e;
        }
    }

    private List<RowKey> editLast(Connection c, RowKey last, int value) throws SQLException {
        if (last == null) {
            return List.of();
        }
        String column = last.table().equals(RowKey.CUSTOMER) ? "balance" : "qty";
        return update(c, "UPDATE " + last.table() + " SET " + column + " = ? WHERE id = ?", value, last.id()) > 0
                ? List.of(last) : List.of();
    }

    private List<RowKey> deleteCustomer(Connection c, RowWrite.DeleteCustomer d) throws SQLException {
        c.setAutoCommit(false);
        try {
            List<RowKey> changed = new ArrayList<>();
            if (d.withOrders()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE customer_id = ?")) {
                    ps.setLong(1, d.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            changed.add(RowKey.order(rs.getLong(1)));
                        }
                    }
                }
                update(c, "DELETE FROM orders WHERE customer_id = ?", d.id());
            }
            if (update(c, "DELETE FROM customer WHERE id = ?", d.id()) > 0) {
                changed.add(RowKey.customer(d.id()));
            }
            c.commit();
            return changed;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private List<RowKey> put(Connection c, RowKey key, Object second, int third, RowWrite.Via via) throws SQLException {
        List<String> cols = RowKey.columns(key.table());
        String t = key.table();
        String id = cols.get(0);
        String b = cols.get(1);
        String v = cols.get(2);
        String names = "(" + id + ", " + b + ", " + v + ")";
        String sql = switch (via) {
            case UPDATE -> "UPDATE " + t + " SET " + b + " = ?, " + v + " = ? WHERE " + id + " = ?";
            case INSERT -> "INSERT INTO " + t + " " + names + " VALUES (?, ?, ?)";
            case REPLACE -> switch (kind) {
                case "sqlite" -> "INSERT OR REPLACE INTO " + t + " " + names + " VALUES (?, ?, ?)";
                case "mariadb" -> "REPLACE INTO " + t + " " + names + " VALUES (?, ?, ?)";
                case "h2" -> "MERGE INTO " + t + " " + names + " KEY (" + id + ") VALUES (?, ?, ?)";
                default -> merge(key.table(), t, id, b, v);
            };
            case UPSERT -> switch (kind) {
                case "sqlite", "postgresql" -> "INSERT INTO " + t + " " + names + " VALUES (?, ?, ?) ON CONFLICT (" + id + ") DO UPDATE SET "
                        + b + " = excluded." + b + ", " + v + " = excluded." + v;
                case "mariadb" -> "INSERT INTO " + t + " " + names + " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE " + b + " = VALUES(" + b + "), "
                        + v + " = VALUES(" + v + ")";
                default -> merge(key.table(), t, id, b, v);
            };
        };
        int n = via == RowWrite.Via.UPDATE ? update(c, sql, second, third, key.id()) : update(c, sql, key.id(), second, third);
        return n > 0 ? List.of(key) : List.of();
    }

    /** Standard SQL MERGE (PostgreSQL 15, H2); the casts tell PostgreSQL the parameters' types. */
    private static String merge(String table, String t, String id, String b, String v) {
        String secondType = table.equals(RowKey.CUSTOMER) ? "VARCHAR(40)" : "BIGINT";
        return "MERGE INTO " + t + " d USING (SELECT CAST(? AS BIGINT) AS " + id + ", CAST(? AS " + secondType + ") AS " + b
                + ", CAST(? AS INTEGER) AS " + v + ") s ON d." + id + " = s." + id
                + " WHEN MATCHED THEN UPDATE SET " + b + " = s." + b + ", " + v + " = s." + v
                + " WHEN NOT MATCHED THEN INSERT " + "(" + id + ", " + b + ", " + v + ") VALUES (s." + id + ", s." + b + ", s." + v + ")";
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** Identifiers: H2 remotes hold lower-case quoted names; the others fold or ignore case. */
    /** An integrity refusal: SQLState class 23, or SQLite's SQLITE_CONSTRAINT (19, with extended codes). */
    private boolean refused(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ((s.getSQLState() != null && s.getSQLState().startsWith("23"))
                    || (kind.equals("sqlite") && (s.getErrorCode() & 0xff) == 19))) {
                return true;
            }
        }
        return false;
    }
}
