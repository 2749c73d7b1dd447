package dev.ferry.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A database the bench created; {@link #close()} drops it (idempotent). */
final class BenchDatabase implements AutoCloseable {
    private final ConsolidatedKind kind;
    private final String url;
    private Runnable drop;

    BenchDatabase(ConsolidatedKind kind, String url, Runnable drop) {
        this.kind = kind;
        this.url = url;
        this.drop = drop;
    }

    ConsolidatedKind kind() {
        return kind;
    }

    String url() {
        return url;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public void close() {
        Runnable d = drop;
        drop = null;
        if (d != null) {
            try {
                d.run();
            } catch (RuntimeException e) {
                System.err.println("[bench] cleanup: " + e.getMessage());
            }
        }
    }
}
