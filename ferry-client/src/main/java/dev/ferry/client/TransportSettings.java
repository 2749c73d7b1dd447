package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * How long a remote waits for its server before a sync fails with the retriable
 * {@code TRANSPORT_FAILED} (nothing half-applied, the sync lock released, the next sync carries on).
 *
 * <ul>
 *   <li>{@code connectTimeout}: to open the TCP connection;</li>
 *   <li>{@code readTimeout}: the longest the server may stay silent, measured from the last byte that
 *       moved: while the upload is sent (the server not taking bytes), while the server applies it
 *       and before its answer starts, and between any two parts of the answer. A long download that
 *       keeps arriving is never cut; a server that stalls in the middle of one is.</li>
 *   <li>{@code busyWait} (issue 12): the longest a sync keeps sending its request again while the server
 *       answers {@code SERVER_BUSY} (it applied nothing), each time after the {@code Retry-After} the
 *       server gave plus jitter; zero: not at all, the sync fails with the retriable {@code SERVER_BUSY}.</li>
 * </ul>
 *
 * Where a remote takes them from, lowest first: {@link #DEFAULTS}; the settings stored in the remote
 * ({@code ferry remote init --connect-timeout/--read-timeout}, {@link RemoteDatabase#saveTransportSettings});
 * the environment variables {@code FERRY_CONNECT_TIMEOUT}, {@code FERRY_READ_TIMEOUT} and {@code FERRY_BUSY_WAIT} (seconds); the
 * settings of one sync ({@code ferry remote sync --connect-timeout/--read-timeout},
 * {@link RemoteDatabase#useTransportSettings}). Immutable and thread-safe.
 *
 * <p>{@code trustedCertificate} (issue 11, docs/SECURITY.md "TLS"): null verifies an {@code https://}
 * server against the JVM's default trust store; a certificate pins it, trusting exactly that certificate
 * (a self-signed server certificate, or the CA that issued it) and nothing else. Host names are verified
 * either way. Stored with the timeouts ({@code ferry remote init --trust-cert}, {@link RemoteDatabase#trustServerCertificate}).
 *
 * @param connectTimeout     between 1 ms and 24 h
 * @param readTimeout        between 1 ms and 24 h
 * @param trustedCertificate the only certificate an {@code https://} server is trusted by, or null for the default trust store
 * @param busyWait           between 0 and 24 h
 */
public record TransportSettings(Duration connectTimeout, Duration readTimeout, X509Certificate trustedCertificate, Duration busyWait) {
    /** Declared before {@link #DEFAULTS}, whose construction checks against it. */
    private static final Duration MAX = Duration.ofHours(24);
    /** 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** 300 seconds: the server applies a whole upload before it answers, which may take minutes for a large one. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(300);
    /** 60 seconds: a server with a full queue (limits.queuedSyncs) refuses at once, and its queue drains in seconds. */
    public static final Duration DEFAULT_BUSY_WAIT = Duration.ofSeconds(60);
    public static final TransportSettings DEFAULTS = new TransportSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);

    public TransportSettings {
        check("connect timeout", connectTimeout);
        check("read timeout", readTimeout);
        if (busyWait == null || busyWait.isNegative() || busyWait.compareTo(MAX) > 0) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "the busy wait must be between 0 and 24 h, not " + busyWait,
                    "give it in seconds, e.g. 60 (0: do not retry a busy server)");
        }
    }

    /** Timeouts only; the default trust store and busy wait. */
    public TransportSettings(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, null);
    }

    /** The default busy wait. */
    public TransportSettings(Duration connectTimeout, Duration readTimeout, X509Certificate trustedCertificate) {
        this(connectTimeout, readTimeout, trustedCertificate, DEFAULT_BUSY_WAIT);
    }

    public TransportSettings withConnectTimeout(Duration timeout) {
        return new TransportSettings(timeout, readTimeout, trustedCertificate, busyWait);
    }

    public TransportSettings withReadTimeout(Duration timeout) {
        return new TransportSettings(connectTimeout, timeout, trustedCertificate, busyWait);
    }

    /** {@code certificate} null: back to the default trust store. */
    public TransportSettings withTrustedCertificate(X509Certificate certificate) {
        return new TransportSettings(connectTimeout, readTimeout, certificate, busyWait);
    }

    public TransportSettings withBusyWait(Duration wait) {
        return new TransportSettings(connectTimeout, readTimeout, trustedCertificate, wait);
    }

    private static void check(String what, Duration d) {
        if (d == null || d.toMillis() < 1 || d.compareTo(MAX) > 0) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "the " + what + " must be between 1 ms and 24 h, not " + d,
                    "give it in seconds, e.g. 30");
        }
    }
}
