package dev.ferry.server.partition;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.dialect.jdbc.JdbcTransaction;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.download.ChangeClock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The parameters publication filters are bound with, kept on the server side only (a remote never
 * chooses them): {@code ferry_user_param} for a user, {@code ferry_remote_param} for one remote
 * (overriding its owner's), and the built-ins {@code remote_id} and {@code user_name} (the remote's
 * owner). Every change takes a fresh change position ({@code ferry_param_change}), so each remote of
 * that owner re-evaluates its partition at its next download. Stateless; thread-safe.
 */
public final class PartitionParameters {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final List<String> BUILT_IN = List.of("remote_id", "user_name");

    private PartitionParameters() {
    }

    /** Whose parameters. */
    public enum Owner {
        USER('U', "ferry_user_param", "user_name"), REMOTE('R', "ferry_remote_param", "remote_id");

        final char kind;
        final String table;
        final String column;

        Owner(char kind, String table, String column) {
            this.kind = kind;
            this.table = table;
            this.column = column;
        }
    }

    /** Reads a remote's partition in {@code c}'s transaction (a download's snapshot, an upload's transaction). */
    public static RemotePartition read(Connection c, String remoteId, PartitionView view) throws SQLException {
        String owner = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT user_name FROM ferry_remote WHERE remote_id = ?")) {
            ps.setString(1, remoteId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    owner = rs.getString(1);
                }
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (owner != null) {
            values.putAll(of(c, Owner.USER, owner));
        }
        values.putAll(of(c, Owner.REMOTE, remoteId));
        values.put("remote_id", remoteId);
        if (owner != null) {
            values.put("user_name", owner);
        }
        long position = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(position) FROM ferry_param_change WHERE (owner_kind = 'R' AND owner_name = ?)"
                + " OR (owner_kind = 'U' AND owner_name = ?)")) {
            ps.setString(1, remoteId);
            ps.setString(2, owner == null ? "" : owner);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    position = rs.getLong(1);
                }
            }
        }
        return new RemotePartition(remoteId, view, values, position);
    }

    /** The parameters set for one user or remote, by name. */
    public static Map<String, String> of(Connection c, Owner owner, String name) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT param_name, param_value FROM " + owner.table + " WHERE " + owner.column + " = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * Sets and unsets parameters of one user or remote in one transaction, with a fresh change position.
     * Names are letters, digits and _; the built-ins cannot be set.
     */
    public static void change(ConsolidatedDatabase db, Owner owner, String name, Map<String, String> set, List<String> unset) {
        for (String p : set.keySet()) {
            check(p);
        }
        for (String p : unset) {
            check(p);
        }
        try (Connection c = db.connection()) {
            JdbcTransaction.run(c, () -> {
                for (String p : unset) {
                    delete(c, owner, name, p);
                }
                for (Map.Entry<String, String> e : set.entrySet()) {
                    delete(c, owner, name, e.getKey());
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + owner.table + " (" + owner.column
                            + ", param_name, param_value) VALUES (?, ?, ?)")) {
                        ps.setString(1, name);
                        ps.setString(2, e.getKey());
                        ps.setString(3, e.getValue());
                        ps.executeUpdate();
                    }
                }
                long position = ChangeClock.advance(c, db.dialect().currentTime(c));
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_param_change WHERE owner_kind = ? AND owner_name = ?")) {
                    ps.setString(1, String.valueOf(owner.kind));
                    ps.setString(2, name);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_param_change (owner_kind, owner_name, position) VALUES (?, ?, ?)")) {
                    ps.setString(1, String.valueOf(owner.kind));
                    ps.setString(2, name);
                    ps.setLong(3, position);
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw SqlErrors.wrap("changing the parameters of " + owner.name().toLowerCase() + " " + name, db.dialect(), e);
        }
    }

    /** Parses {@code name=value} pairs given on the command line. */
    public static Map<String, String> parsePairs(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new FerryException(ErrorCode.USAGE, "--param takes name=value, got " + p);
            }
            out.put(p.substring(0, eq).trim(), p.substring(eq + 1));
        }
        return out;
    }

    private static void check(String p) {
        if (!NAME.matcher(p).matches() || BUILT_IN.contains(p)) {
            throw new FerryException(ErrorCode.USAGE, "parameter name " + p + " must start with a letter and hold only letters, digits and _"
                    + " (remote_id and user_name are built in)");
        }
    }

    private static void delete(Connection c, Owner owner, String name, String p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + owner.table + " WHERE " + owner.column + " = ? AND param_name = ?")) {
            ps.setString(1, name);
            ps.setString(2, p);
            ps.executeUpdate();
        }
    }
}
