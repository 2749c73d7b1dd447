package dev.ferry.client;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The version of the server's schema this remote's tables follow ({@code ferry_setting.schema_version},
 * docs/SCHEMAS.md "Schema changes"), sent with every sync. Absent in remotes made before versions: they
 * send none and are never upgraded.
 */
final class SchemaVersionRecord {
    private static final String NAME = "schema_version";

    private SchemaVersionRecord() {
    }

    static String read(Connection c) throws SQLException {
        return TransportSettingsSources.get(c, NAME);
    }

    static void write(Connection c, String version) throws SQLException {
        TransportSettingsSources.put(c, NAME, version);
    }
}
