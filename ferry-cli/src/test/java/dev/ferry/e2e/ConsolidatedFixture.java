package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabase;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A consolidated database for one test: the test schema in its native types, and a way to change it
 * the way another application would (the real {@code psql} / {@code mariadb} clients; JDBC for H2,
 * which has no separate client).
 */
final class ConsolidatedFixture {
    final TestDatabase db;

    ConsolidatedFixture(TestDatabase db) {
        this.db = db;
    }

    String kind() {
        return db.kind();
    }

    void createSchema() throws SQLException {
        for (String ddl : ddl()) {
            jdbc(ddl);
        }
    }

    private List<String> ddl() {
        return switch (kind()) {
            case "postgresql" -> List.of(
                    "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, balance NUMERIC(12,2) NOT NULL DEFAULT 0 CHECK (balance > -1000))",
                    "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customer(id), note TEXT)",
                    "CREATE TABLE order_line (order_id BIGINT NOT NULL REFERENCES orders(id), line_no INTEGER NOT NULL, qty SMALLINT NOT NULL,"
                            + " PRIMARY KEY (order_id, line_no))",
                    "CREATE TABLE all_types (id INTEGER PRIMARY KEY, c_small SMALLINT, c_int INTEGER, c_big BIGINT, c_dec NUMERIC(12,2),"
                            + " c_real REAL, c_double DOUBLE PRECISION, c_text TEXT, c_vchar VARCHAR(40), c_bool BOOLEAN, c_date DATE, c_time TIME,"
                            + " c_ts TIMESTAMP, c_tstz TIMESTAMPTZ, c_uuid UUID, c_bin BYTEA, c_json JSONB)");
            case "mariadb" -> List.of(
                    "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, balance DECIMAL(12,2) NOT NULL DEFAULT 0 CHECK (balance > -1000)) ENGINE=InnoDB",
                    "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, note TEXT, FOREIGN KEY (customer_id) REFERENCES customer(id)) ENGINE=InnoDB",
                    "CREATE TABLE order_line (order_id BIGINT NOT NULL, line_no INT NOT NULL, qty SMALLINT NOT NULL, PRIMARY KEY (order_id, line_no),"
                            + " FOREIGN KEY (order_id) REFERENCES orders(id)) ENGINE=InnoDB",
                    "CREATE TABLE all_types (id INT PRIMARY KEY, c_small SMALLINT, c_int INT, c_big BIGINT, c_dec DECIMAL(12,2), c_real FLOAT,"
                            + " c_double DOUBLE, c_text TEXT, c_vchar VARCHAR(40), c_bool BOOLEAN, c_date DATE, c_time TIME(6), c_ts DATETIME(6),"
                            + " c_tstz TIMESTAMP(6) NULL, c_uuid UUID, c_bin VARBINARY(200), c_json JSON) ENGINE=InnoDB");
            case "h2" -> List.of(
                    "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, balance NUMERIC(12,2) DEFAULT 0 NOT NULL CHECK (balance > -1000))",
                    "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customer(id), note VARCHAR(1000))",
                    "CREATE TABLE order_line (order_id BIGINT NOT NULL REFERENCES orders(id), line_no INTEGER NOT NULL, qty SMALLINT NOT NULL,"
                            + " PRIMARY KEY (order_id, line_no))",
                    "CREATE TABLE all_types (id INTEGER PRIMARY KEY, c_small SMALLINT, c_int INTEGER, c_big BIGINT, c_dec NUMERIC(12,2),"
                            + " c_real REAL, c_double DOUBLE PRECISION, c_text VARCHAR(4000), c_vchar VARCHAR(40), c_bool BOOLEAN, c_date DATE, c_time TIME(6),"
                            + " c_ts TIMESTAMP(6), c_tstz TIMESTAMP(6) WITH TIME ZONE, c_uuid UUID, c_bin VARBINARY(200), c_json JSON)");
            default -> throw new IllegalArgumentException(kind());
        };
    }

    /** Table names as the database stores them (H2 upper-cases unquoted names). */
    String table(String name) {
        return kind().equals("h2") ? name.toUpperCase() : name;
    }

    /** Runs SQL the way another application would: through the database's own command-line client. */
    void client(String sql) throws Exception {
        switch (kind()) {
            case "postgresql" -> run(List.of("psql", "-v", "ON_ERROR_STOP=1", "-h", host(), "-p", port(), "-U", "postgres", "-d", dbName(), "-c", sql));
            case "mariadb" -> run(List.of("mariadb", "-h", host(), "-P", port(), "-uroot", dbName(), "-e", sql));
            default -> jdbc(sql);
        }
    }

    void jdbc(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    List<List<String>> query(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return ResultRows.read(rs);
        }
    }

    /**
     * Sessions of this database now waiting for a row or table lock held by another transaction: how a
     * test knows that a sync's upload (or a transaction of its own) is blocked, without sleeping.
     */
    int lockWaiters() throws SQLException {
        String sql = switch (kind()) {
            case "postgresql" -> "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
            case "mariadb" -> "SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p"
                    + " ON p.id = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()";
            default -> throw new UnsupportedOperationException("no lock-wait probe for " + kind());
        };
        return Integer.parseInt(query(sql).get(0).get(0));
    }

    /** A derived table {@code s} with one integer column {@code n} running from {@code from} to {@code to}. */
    String numbers(int from, int to) {
        return switch (kind()) {
            case "postgresql" -> "(SELECT generate_series(" + from + ", " + to + ") AS n) s";
            case "mariadb" -> "(SELECT seq AS n FROM seq_" + from + "_to_" + to + ") s";
            default -> "(SELECT x AS n FROM SYSTEM_RANGE(" + from + ", " + to + ")) s";
        };
    }

    /** A backup of the whole database (PostgreSQL), taken with {@code pg_dump} as an operator would. */
    void backupTo(java.nio.file.Path file) throws Exception {
        run(List.of("pg_dump", "-h", host(), "-p", port(), "-U", "postgres", "-Fc", "-f", file.toString(), dbName()));
    }

    /** Restores a {@link #backupTo} backup into this (empty) database with {@code pg_restore}. */
    void restoreFrom(java.nio.file.Path file) throws Exception {
        run(List.of("pg_restore", "-h", host(), "-p", port(), "-U", "postgres", "--no-owner", "-d", dbName(), file.toString()));
    }

    private URI uri() {
        return URI.create(db.url().substring("jdbc:".length()));
    }

    private String host() {
        return uri().getHost();
    }

    private String port() {
        return String.valueOf(uri().getPort());
    }

    private String dbName() {
        return uri().getPath().substring(1);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
