package dev.ferry.server.config;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.nio.file.Path;

/**
 * How the server's listener is secured (issue 11; docs/SECURITY.md "TLS"): a PKCS#12 keystore
 * ({@code server.tls.keystore} + {@code server.tls.keystorePassword}), or a PEM certificate chain and
 * PKCS#8 private key ({@code server.tls.certificate} + {@code server.tls.key}), or plain HTTP when
 * {@code server.plainHttp} is true. Only the combination is checked here; the files are read and checked
 * when the server starts ({@code dev.ferry.server.tls.ServerKeyMaterial}), so commands that never listen
 * ({@code ferry user add}) do not need them. Immutable.
 *
 * @param keystore         PKCS#12 file, or null
 * @param keystorePassword its password (empty allowed), never logged
 * @param certificate      PEM certificate chain (server certificate first), or null
 * @param key              PEM PKCS#8 private key of that certificate, or null
 * @param plainHttp        serve plain HTTP (no TLS configured)
 */
public record TlsSettings(Path keystore, String keystorePassword, Path certificate, Path key, boolean plainHttp) {

    /** No TLS, no plain HTTP: a server refuses to start with it. */
    public static final TlsSettings NONE = new TlsSettings(null, "", null, null, false);

    public TlsSettings {
        boolean pem = certificate != null || key != null;
        if (keystore != null && pem) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.keystore and server.tls.certificate/server.tls.key are both set",
                    "configure TLS one way: a PKCS#12 keystore, or a PEM certificate and key");
        }
        if (pem && (certificate == null || key == null)) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, (certificate == null ? "server.tls.key is set without server.tls.certificate"
                    : "server.tls.certificate is set without server.tls.key"), "a PEM certificate needs its PKCS#8 private key, and the reverse");
        }
        if (plainHttp && (keystore != null || pem)) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.plainHttp = true and TLS (server.tls.*) are both set",
                    "remove server.plainHttp to serve HTTPS, or the server.tls.* settings to serve plain HTTP");
        }
    }

    /** A keystore or a PEM certificate and key is configured. */
    public boolean enabled() {
        return keystore != null || certificate != null;
    }

    static Path path(String text) {
        return text.isEmpty() ? null : Path.of(text);
    }
}
