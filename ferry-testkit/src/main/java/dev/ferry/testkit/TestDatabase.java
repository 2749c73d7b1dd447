package dev.ferry.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A database made for one test and dropped after it. {@link #url()} is a JDBC URL with credentials
 * embedded where the database needs them, so it can be handed to Ferry exactly as a user would.
 */
public interface TestDatabase extends AutoCloseable {
    /** postgresql, mariadb, h2 or sqlite. */
    String kind();

    String url();

    default Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Drops the database (files are deleted for embedded ones). */
    @Override
    void close();
}
