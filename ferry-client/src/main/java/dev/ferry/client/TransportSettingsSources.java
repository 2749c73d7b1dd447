package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * Resolves a remote's {@link TransportSettings} from their sources (see there) and stores them in the
 * remote's {@code ferry_setting} table ({@code name}, {@code value}: {@code connect_timeout_ms},
 * {@code read_timeout_ms}), created when settings are first stored, so remotes made before it existed
 * need no migration. The SQL is the same on SQLite and H2. Runs in the caller's transaction.
 */
final class TransportSettingsSources {
    static final String CONNECT_ENV = "FERRY_CONNECT_TIMEOUT";
    static final String READ_ENV = "FERRY_READ_TIMEOUT";
    private static final String CONNECT_KEY = "connect_timeout_ms";
    private static final String READ_KEY = "read_timeout_ms";

    private TransportSettingsSources() {
    }

    /** {@code override} when given, else the stored settings (or the defaults) overridden by {@code env}. */
    static TransportSettings effective(Connection c, TransportSettings override, Map<String, String> env) throws SQLException {
        if (override != null) {
            return override;
        }
        TransportSettings s = stored(c);
        Duration connect = seconds(env, CONNECT_ENV);
        Duration read = seconds(env, READ_ENV);
        return new TransportSettings(connect != null ? connect : s.connectTimeout(), read != null ? read : s.readTimeout());
    }

    /** What {@link #store} stored, the defaults where nothing is. */
    static TransportSettings stored(Connection c) throws SQLException {
        TransportSettings s = TransportSettings.DEFAULTS;
        if (!LocalTables.exists(c, "ferry_setting")) {
            return s;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name, value FROM ferry_setting")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.equals(CONNECT_KEY)) {
                    s = s.withConnectTimeout(millis(name, rs.getString(2)));
                } else if (name.equals(READ_KEY)) {
                    s = s.withReadTimeout(millis(name, rs.getString(2)));
                }
            }
        }
        return s;
    }

    static void store(Connection c, TransportSettings s) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS ferry_setting (name VARCHAR(100) PRIMARY KEY, value VARCHAR(1000) NOT NULL)");
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM ferry_setting WHERE name = ?");
             PreparedStatement ins = c.prepareStatement("INSERT INTO ferry_setting (name, value) VALUES (?, ?)")) {
            for (Map.Entry<String, Duration> e : Map.of(CONNECT_KEY, s.connectTimeout(), READ_KEY, s.readTimeout()).entrySet()) {
                del.setString(1, e.getKey());
                del.executeUpdate();
                ins.setString(1, e.getKey());
                ins.setString(2, Long.toString(e.getValue().toMillis()));
                ins.executeUpdate();
            }
        }
    }

    private static Duration seconds(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > Duration.ofHours(24).toSeconds()) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, name + "=" + v + " is not a whole number of seconds from 1 to 86400",
                    "e.g. " + name + "=30");
        }
        return Duration.ofSeconds(n);
    }

    private static Duration millis(String name, String v) {
        try {
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "ferry_setting " + name + " = '" + v + "' is not a number of milliseconds",
                    "store the timeouts again, e.g. with RemoteDatabase.saveTransportSettings");
        }
    }
}
