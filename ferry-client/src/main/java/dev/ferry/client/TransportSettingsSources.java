package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.security.cert.X509Certificate;
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
 * {@code read_timeout_ms}, {@code busy_wait_ms}, {@code trusted_certificate} as PEM), created when settings are first stored, so remotes made before it existed
 * need no migration. The SQL is the same on SQLite and H2. Runs in the caller's transaction.
 */
final class TransportSettingsSources {
    static final String CONNECT_ENV = "FERRY_CONNECT_TIMEOUT";
    static final String READ_ENV = "FERRY_READ_TIMEOUT";
    static final String BUSY_WAIT_ENV = "FERRY_BUSY_WAIT";
    private static final String CONNECT_KEY = "connect_timeout_ms";
    private static final String READ_KEY = "read_timeout_ms";
    private static final String BUSY_WAIT_KEY = "busy_wait_ms";
    private static final String CERTIFICATE_KEY = "trusted_certificate";

    private TransportSettingsSources() {
    }

    /** {@code override} when given, else the stored settings (or the defaults) overridden by {@code env}. */
    static TransportSettings effective(Connection c, TransportSettings override, Map<String, String> env) throws SQLException {
        if (override != null) {
            return override;
        }
        TransportSettings s = stored(c);
        Duration connect = seconds(env, CONNECT_ENV, 1);
        Duration read = seconds(env, READ_ENV, 1);
        Duration busy = seconds(env, BUSY_WAIT_ENV, 0);
        return new TransportSettings(connect != null ? connect : s.connectTimeout(), read != null ? read : s.readTimeout(), s.trustedCertificate(),
                busy != null ? busy : s.busyWait());
    }

    /** What {@link #store} stored, the defaults where nothing is. */
    static TransportSettings stored(Connection c) throws SQLException {
        TransportSettings s = TransportSettings.DEFAULTS;
        if (!LocalTables.exists(c, "ferry_setting")) {
            return s;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name, \"value\" FROM ferry_setting")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.equals(CONNECT_KEY)) {
                    s = s.withConnectTimeout(millis(name, rs.getString(2)));
                } else if (name.equals(READ_KEY)) {
                    s = s.withReadTimeout(millis(name, rs.getString(2)));
                } else if (name.equals(BUSY_WAIT_KEY)) {
                    s = s.withBusyWait(millis(name, rs.getString(2)));
                } else if (name.equals(CERTIFICATE_KEY)) {
                    s = s.withTrustedCertificate(PinnedServerCertificate.fromPem(rs.getString(2)));
                }
            }
        }
        return s;
    }

    static void store(Connection c, TransportSettings s) throws SQLException {
        for (Map.Entry<String, Duration> e : Map.of(CONNECT_KEY, s.connectTimeout(), READ_KEY, s.readTimeout(), BUSY_WAIT_KEY, s.busyWait()).entrySet()) {
            put(c, e.getKey(), Long.toString(e.getValue().toMillis()));
        }
        storeTrustedCertificate(c, s.trustedCertificate());
    }

    /** Pins {@code certificate}, or (null) goes back to the default trust store; the timeouts stay. */
    static void storeTrustedCertificate(Connection c, X509Certificate certificate) throws SQLException {
        put(c, CERTIFICATE_KEY, certificate == null ? null : PinnedServerCertificate.toPem(certificate));
    }

    /** One stored setting of {@code ferry_setting}, null when absent. */
    static String get(Connection c, String name) throws SQLException {
        if (!LocalTables.exists(c, "ferry_setting")) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT \"value\" FROM ferry_setting WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * {@code value} null deletes the setting. The column {@code value} is quoted everywhere: VALUE is a
     * keyword in H2, where the unquoted name failed (an H2 remote could store no setting at all). The column is wide enough for a PEM certificate chain (H2 enforces the
     * length, SQLite does not); a table made by a version before pinning had VARCHAR(1000), enough for a typical EC
     * self-signed certificate but not for most RSA ones.
     */
    static void put(Connection c, String name, String value) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS ferry_setting (name VARCHAR(100) PRIMARY KEY, \"value\" VARCHAR(65536) NOT NULL)");
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM ferry_setting WHERE name = ?")) {
            del.setString(1, name);
            del.executeUpdate();
        }
        if (value != null) {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO ferry_setting (name, \"value\") VALUES (?, ?)")) {
                ins.setString(1, name);
                ins.setString(2, value);
                ins.executeUpdate();
            }
        }
    }

    private static Duration seconds(Map<String, String> env, String name, long least) {
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
        if (n < least || n > Duration.ofHours(24).toSeconds()) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, name + "=" + v + " is not a whole number of seconds from " + least + " to 86400",
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
