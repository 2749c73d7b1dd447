package dev.ferry.server.tls;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.config.TlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's private key and certificate chain as an in-memory PKCS#12 {@link KeyStore}, read from
 * {@link TlsSettings} with the JDK alone and checked before the server listens: the files exist and
 * parse, the password opens the keystore, it holds exactly one private key, the key belongs to the
 * certificate, and the certificate is valid now. An expired (or not yet valid) certificate is refused
 * rather than warned about: every client would fail its handshake anyway, and failing at start names
 * the file where a sync would only say "untrusted". A certificate expiring within
 * {@link #EXPIRY_WARNING} is logged at WARN. Failures are {@code CONFIG_INVALID} naming the setting.
 */
public final class ServerKeyMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(ServerKeyMaterial.class);
    /** Warn this long before the certificate expires. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    /** Alias of the one entry in the in-memory keystore. */
    static final String ALIAS = "ferry-server";
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private final KeyStore keyStore;
    private final char[] password;

    private ServerKeyMaterial(KeyStore keyStore, char[] password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /** Reads and checks the configured key material; {@code tls} must be {@link TlsSettings#enabled()}. */
    public static ServerKeyMaterial load(TlsSettings tls) {
        return tls.keystore() != null ? fromPkcs12(tls.keystore(), tls.keystorePassword()) : fromPem(tls.certificate(), tls.key());
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    /** The password of {@link #keyStore()} and of its key entry. */
    public char[] password() {
        return password.clone();
    }

    /** The server certificate (first of the chain). */
    public X509Certificate certificate() {
        try {
            return (X509Certificate) keyStore.getCertificate(ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ServerKeyMaterial fromPkcs12(Path file, String password) {
        byte[] bytes = read(file, "server.tls.keystore");
        KeyStore source;
        try {
            source = KeyStore.getInstance("PKCS12");
            source.load(new ByteArrayInputStream(bytes), password.toCharArray());
        } catch (IOException e) {
            // The JDK reports a wrong password as an IOException whose cause is an UnrecoverableKeyException.
            boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException;
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.keystore " + file + (badPassword
                    ? " cannot be opened with server.tls.keystorePassword (wrong password)" : " is not a PKCS#12 keystore: " + e.getMessage()),
                    badPassword ? "set server.tls.keystorePassword (FERRY_SERVER_TLS_KEYSTORE_PASSWORD) to the keystore's password"
                            : "give a PKCS#12 file (keytool -storetype PKCS12, openssl pkcs12 -export), or PEM files with server.tls.certificate and server.tls.key");
        } catch (GeneralSecurityException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.keystore " + file + " cannot be read: " + e.getMessage());
        }
        try {
            List<String> keys = Collections.list(source.aliases()).stream().filter(a -> isKey(source, a)).toList();
            if (keys.size() != 1) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.keystore " + file + " holds " + keys.size()
                        + " private keys " + keys + ", not exactly one", "keep only the server's key and certificate chain in the keystore");
            }
            PrivateKey key;
            try {
                key = (PrivateKey) source.getKey(keys.get(0), password.toCharArray());
            } catch (java.security.UnrecoverableKeyException e) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "the private key in server.tls.keystore " + file
                        + " cannot be opened with server.tls.keystorePassword", "give the key the keystore's password");
            }
            Certificate[] chain = source.getCertificateChain(keys.get(0));
            return checked(key, toX509(chain), password.toCharArray(), "server.tls.keystore " + file);
        } catch (GeneralSecurityException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.keystore " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static boolean isKey(KeyStore ks, String alias) {
        try {
            return ks.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static ServerKeyMaterial fromPem(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain;
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(read(certificateFile, "server.tls.certificate")));
            chain = certs.stream().map(c -> (X509Certificate) c).toList();
        } catch (CertificateException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.certificate " + certificateFile + " is not a PEM certificate: "
                    + e.getMessage(), "give the certificate chain in PEM (-----BEGIN CERTIFICATE-----), server certificate first");
        }
        if (chain.isEmpty()) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.certificate " + certificateFile + " holds no certificate",
                    "give the certificate chain in PEM (-----BEGIN CERTIFICATE-----), server certificate first");
        }
        PrivateKey key = pkcs8Key(keyFile, chain.get(0).getPublicKey().getAlgorithm());
        // A random password: the keystore never leaves this process, and Jetty needs one for the key entry.
        char[] password = java.util.UUID.randomUUID().toString().toCharArray();
        return checked(key, chain, password, "server.tls.certificate " + certificateFile + " and server.tls.key " + keyFile);
    }

    private static PrivateKey pkcs8Key(Path file, String algorithm) {
        String text = new String(read(file, "server.tls.key"), StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.key " + file + " is not a PEM private key",
                    "give an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        if (!m.group(1).equals("PRIVATE KEY")) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.key " + file + " holds a " + m.group(1)
                    + ", not an unencrypted PKCS#8 PRIVATE KEY", "convert it: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "server.tls.key " + file + " is not a " + algorithm
                    + " private key (the certificate's key type): " + e.getMessage(), "give the private key of server.tls.certificate");
        }
    }

    private static ServerKeyMaterial checked(PrivateKey key, List<X509Certificate> chain, char[] password, String source) {
        X509Certificate cert = chain.get(0);
        if (!belongsTo(key, cert)) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "the private key of " + source + " does not belong to its certificate "
                    + cert.getSubjectX500Principal().getName(), "give the key the certificate was issued for");
        }
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "the certificate of " + source + " expired on " + cert.getNotAfter().toInstant(),
                    "renew the certificate; clients refuse an expired one");
        } catch (CertificateNotYetValidException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "the certificate of " + source + " is not valid before "
                    + cert.getNotBefore().toInstant(), "check the clock, or use a certificate valid now");
        }
        if (cert.getNotAfter().toInstant().isBefore(Instant.now().plus(EXPIRY_WARNING))) {
            LOG.warn("The server certificate {} expires on {}: renew it before clients refuse it",
                    cert.getSubjectX500Principal().getName(), cert.getNotAfter().toInstant());
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
            return new ServerKeyMaterial(ks, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "the key and certificate of " + source + " cannot be used: " + e.getMessage());
        }
    }

    /** Signs with the key and verifies with the certificate: works for RSA, EC and EdDSA alike. */
    private static boolean belongsTo(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "ferry key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<X509Certificate> toX509(Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "the private key in server.tls.keystore has no certificate chain");
        }
        return java.util.Arrays.stream(chain).map(c -> (X509Certificate) c).toList();
    }

    private static byte[] read(Path file, String setting) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readAllBytes();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, setting + " " + file + " does not exist", "check the path (relative paths start at the working directory)");
        } catch (IOException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, setting + " " + file + " cannot be read: " + e.getMessage());
        }
    }
}
