package dev.ferry.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The plain ways to move the same rows, each timed in-process (no JVM start, so they favour the
 * baseline): what Ferry's figure is divided by. Every baseline reads the rows from where Ferry read
 * them and converts them the same way (SQLite's text decimals and timestamps to typed values, and back).
 */
final class Baselines {
    private static final int FETCH = 10_000;

    private Baselines() {
    }

    /** Reads {@code items} from a SQLite file and inserts it with a JDBC batch of 1000 in one transaction. */
    static Duration sqliteToJdbcInsert(Path sqlite, BenchDatabase target) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection from = DriverManager.getConnection(Fixture.sqliteUrl(sqlite));
             Connection to = DriverManager.getConnection(target.kind().batchUrl(target.url()));
             Statement s = from.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, qty, price, updated FROM " + Items.TABLE)) {
            to.setAutoCommit(false);
            try (PreparedStatement ps = to.prepareStatement("INSERT INTO " + Items.TABLE + " (id, name, qty, price, updated) VALUES (?, ?, ?, ?, ?)")) {
                int n = 0;
                while (rs.next()) {
                    ps.setLong(1, rs.getLong(1));
                    ps.setString(2, rs.getString(2));
                    ps.setInt(3, rs.getInt(3));
                    ps.setBigDecimal(4, new BigDecimal(rs.getString(4)));
                    ps.setTimestamp(5, Timestamp.valueOf(LocalDateTime.parse(rs.getString(5))));
                    ps.addBatch();
                    if (++n % Items.BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            to.commit();
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * Applies the remote's updates and deletes to {@code target}: reads rows {@code 1..updated} from
     * the SQLite file, one batched UPDATE per row and one batched DELETE per deleted key, one transaction.
     */
    static Duration sqliteToJdbcMixed(Path sqlite, BenchDatabase target, int updated, long deleteFirst, int deleted) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection from = DriverManager.getConnection(Fixture.sqliteUrl(sqlite));
             Connection to = DriverManager.getConnection(target.kind().batchUrl(target.url()));
             PreparedStatement read = from.prepareStatement("SELECT id, name, qty, price, updated FROM " + Items.TABLE + " WHERE id <= ?")) {
            to.setAutoCommit(false);
            read.setLong(1, updated);
            try (ResultSet rs = read.executeQuery();
                 PreparedStatement ps = to.prepareStatement("UPDATE " + Items.TABLE + " SET name = ?, qty = ?, price = ?, updated = ? WHERE id = ?")) {
                int n = 0;
                while (rs.next()) {
                    ps.setString(1, rs.getString(2));
                    ps.setInt(2, rs.getInt(3));
                    ps.setBigDecimal(3, new BigDecimal(rs.getString(4)));
                    ps.setTimestamp(4, Timestamp.valueOf(LocalDateTime.parse(rs.getString(5))));
                    ps.setLong(5, rs.getLong(1));
                    ps.addBatch();
                    if (++n % Items.BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = to.prepareStatement("DELETE FROM " + Items.TABLE + " WHERE id = ?")) {
                for (long id = deleteFirst; id < deleteFirst + deleted; id++) {
                    ps.setLong(1, id);
                    ps.addBatch();
                    if ((id - deleteFirst + 1) % Items.BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            to.commit();
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Writes {@code items} of a SQLite file as CSV for {@code \copy} (not timed: the baseline is the load). */
    static void exportCsv(Path sqlite, Path csv) throws SQLException, IOException {
        try (Connection from = DriverManager.getConnection(Fixture.sqliteUrl(sqlite));
             Statement s = from.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, qty, price, updated FROM " + Items.TABLE);
             BufferedWriter w = Files.newBufferedWriter(csv)) {
            while (rs.next()) {
                // The bench's names hold no comma or quote, so no CSV quoting is needed.
                w.write(rs.getLong(1) + "," + rs.getString(2) + "," + rs.getInt(3) + "," + rs.getString(4) + "," + rs.getString(5));
                w.newLine();
            }
        }
    }

    /** Times the {@code psql} process loading {@code csv} into {@code items} with {@code \copy}. */
    static Duration psqlCopy(Path csv, BenchDatabase target) {
        // jdbc:postgresql://host:port/name?user=postgres
        String rest = target.url().substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        String name = rest.substring(rest.indexOf('/') + 1, rest.indexOf('?'));
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.indexOf(':')) : hostPort;
        String port = hostPort.contains(":") ? hostPort.substring(hostPort.indexOf(':') + 1) : "5432";
        List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U", "postgres", "-d", name,
                "-c", "\\copy " + Items.TABLE + " (id, name, qty, price, updated) FROM '" + csv.toAbsolutePath() + "' WITH (FORMAT csv)"));
        Path log = csv.resolveSibling("psql.log");
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Processes.track(p);
            try {
                if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new BenchFailure("psql \\copy failed: " + FerryCommands.errorLine(log));
                }
            } finally {
                Processes.stop(p);
            }
        } catch (IOException e) {
            throw new BenchFailure("psql not runnable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * The CREATE TABLE Ferry made for {@code items} on a remote, to give a plain SQLite file the same table
     * (named as the consolidated database reports it: {@code ITEMS} from H2).
     */
    static String remoteTableDdl(Path remote) throws SQLException {
        try (Connection c = DriverManager.getConnection(Fixture.sqliteUrl(remote));
             PreparedStatement ps = c.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'table' AND lower(name) = ?")) {
            ps.setString(1, Items.TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new BenchFailure("the remote has no table " + Items.TABLE);
                }
                return rs.getString(1);
            }
        }
    }

    /** Creates a plain SQLite file (no tracking) with the remote's {@code items} table. */
    static void createPlainSqlite(Path file, String ddl) throws SQLException {
        try (Connection c = DriverManager.getConnection(Fixture.sqliteUrl(file)); Statement s = c.createStatement()) {
            s.execute(ddl);
        }
    }

    /**
     * Reads consolidated rows (fetch size {@value #FETCH}, {@code where} may be empty) and writes them into
     * a plain SQLite file with a batch in one transaction: INSERT, or an upsert ({@code ON CONFLICT DO UPDATE}).
     */
    static Duration jdbcToSqlite(BenchDatabase source, String where, Path sqlite, boolean upsert) throws SQLException {
        String insert = "INSERT INTO " + Items.TABLE + " (id, name, qty, price, updated) VALUES (?, ?, ?, ?, ?)"
                + (upsert ? " ON CONFLICT (id) DO UPDATE SET name = excluded.name, qty = excluded.qty, price = excluded.price,"
                + " updated = excluded.updated" : "");
        long t0 = System.nanoTime();
        try (Connection from = source.connect(); Connection to = DriverManager.getConnection(Fixture.sqliteUrl(sqlite))) {
            from.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            to.setAutoCommit(false);
            try (Statement s = from.createStatement()) {
                s.setFetchSize(FETCH);
                try (ResultSet rs = s.executeQuery("SELECT id, name, qty, price, updated FROM " + Items.TABLE + (where.isEmpty() ? "" : " WHERE " + where));
                     PreparedStatement ps = to.prepareStatement(insert)) {
                    int n = 0;
                    while (rs.next()) {
                        ps.setLong(1, rs.getLong(1));
                        ps.setString(2, rs.getString(2));
                        ps.setInt(3, rs.getInt(3));
                        ps.setString(4, rs.getBigDecimal(4).toPlainString());
                        ps.setString(5, Items.REMOTE_TIMESTAMP.format(rs.getTimestamp(5).toLocalDateTime()));
                        ps.addBatch();
                        if (++n % Items.BATCH == 0) {
                            ps.executeBatch();
                        }
                    }
                    ps.executeBatch();
                }
            }
            from.commit();
            to.commit();
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
