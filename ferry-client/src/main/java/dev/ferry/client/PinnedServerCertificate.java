package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A pinned server certificate ({@code --trust-cert}): read from a PEM or DER file, kept as PEM in the
 * remote, and turned into an {@link SSLContext} whose only trust anchor is that certificate. The JDK's
 * PKIX trust manager still checks the chain and validity, and the HTTP client still verifies the host
 * name against the certificate; only the set of trusted certificates shrinks to this one.
 */
public final class PinnedServerCertificate {
    private PinnedServerCertificate() {
    }

    /** Reads one X.509 certificate, PEM or DER; {@code CONFIG_INVALID} if the file holds none. */
    public static X509Certificate read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "cannot read the certificate " + file + ": " + e.getMessage(),
                    "give the server's certificate as a PEM or DER file (keytool -exportcert -rfc, openssl x509)");
        }
        try {
            return parse(bytes);
        } catch (CertificateException | ClassCastException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, file + " is not an X.509 certificate (PEM or DER): " + e.getMessage(),
                    "give the server's certificate, not its key or keystore (keytool -exportcert -rfc, openssl x509)");
        }
    }

    static X509Certificate fromPem(String pem) {
        try {
            return parse(pem.getBytes(StandardCharsets.US_ASCII));
        } catch (CertificateException | ClassCastException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "the stored trusted server certificate is damaged: " + e.getMessage(),
                    "store it again: ferry remote sync --trust-cert FILE");
        }
    }

    static String toPem(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the certificate's DER encoding, as colon-separated hex (what {@code keytool -list} prints). */
    public static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS 1.2+ trusting exactly {@code cert}. */
    static SSLContext context(X509Certificate cert) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("pinned", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(anchors);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context for the pinned certificate", e);
        }
    }

    private static X509Certificate parse(byte[] bytes) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(bytes));
    }
}
