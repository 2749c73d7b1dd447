package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@link SyncInterleavingProperty} on MariaDB, with a SQLite and an H2 remote in every try. The
 * database gets the server's default character set and collation (case- and accent-insensitive), the
 * way users create theirs, not the binary collation the test kit picks.
 */
class MariaDbSyncInterleavingIT extends SyncInterleavingProperty {
    @Override
    TestDatabase consolidatedDatabase() {
        TestDatabase db = TestDatabases.mariadb();
        String name = URI.create(db.url().substring("jdbc:".length())).getPath().substring(1);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String charset;
            String collation;
            try (ResultSet rs = s.executeQuery("SELECT @@character_set_server, @@collation_server")) {
                rs.next();
                charset = rs.getString(1);
                collation = rs.getString(2);
            }
            s.execute("ALTER DATABASE `" + name + "` CHARACTER SET " + charset + " COLLATE " + collation);
        } catch (SQLException e) {
            db.close();
            throw new IllegalStateException("could not give " + name + " the server's default collation", e);
        }
        return db;
    }
}
