package dev.ferry.client;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the remote database's own catalog says, read through JDBC metadata so it works on SQLite and H2 alike. */
final class LocalTables {
    private LocalTables() {
    }

    /** True when a table of that name exists, whatever case the database stores names in. */
    static boolean exists(Connection c, String name) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
