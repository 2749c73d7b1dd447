package dev.ferry.protocol.downloadfile;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * Ed25519 keys for signing download files, in the PEM files OpenSSL writes and reads ({@code openssl
 * genpkey -algorithm ed25519}): the server side keeps the private key, each remote trusts the public
 * one. The JDK's own Ed25519 implementation does the cryptography. Stateless.
 */
public final class SigningKeys {
    static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private SigningKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new FerryException(ErrorCode.INTERNAL, "this JVM cannot generate Ed25519 keys: " + e.getMessage(), null, e);
        }
    }

    /** Writes both files; refuses to overwrite either. The private key file is readable by its owner only. */
    public static void write(KeyPair pair, Path privateKey, Path publicKey) {
        for (Path p : new Path[] {privateKey, publicKey}) {
            if (Files.exists(p)) {
                throw new FerryException(ErrorCode.USAGE, p + " already exists", "choose another file name, or delete the old key first");
            }
        }
        try {
            Files.writeString(publicKey, pem(PUBLIC, pair.getPublic().getEncoded()), StandardOpenOption.CREATE_NEW);
            try {
                Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(Set.of(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
            } catch (UnsupportedOperationException e) {
                Files.createFile(privateKey);
            }
            Files.writeString(privateKey, pem(PRIVATE, pair.getPrivate().getEncoded()), StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new FerryException(ErrorCode.USAGE, e.getFile() + " already exists", "choose another file name");
        } catch (IOException e) {
            throw new FerryException(ErrorCode.USAGE, "cannot write the key files: " + e.getMessage(), null, e);
        }
    }

    public static PrivateKey readPrivate(Path file) {
        byte[] der = der(file, PRIVATE);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw notAKey(file, "private", e);
        }
    }

    public static PublicKey readPublic(Path file) {
        return publicKey(der(file, PUBLIC), file.toString());
    }

    /** A public key from its X.509 (SubjectPublicKeyInfo) encoding, as stored by a remote that trusts it. */
    public static PublicKey publicKey(byte[] encoded, String source) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw notAKey(Path.of(source), "public", e);
        }
    }

    /** A short, stable name for a public key: the first 16 hex digits of the SHA-256 of its encoding. */
    public static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(Path file, String label) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.USAGE, "cannot read key file " + file + ": " + e.getMessage(), null, e);
        }
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw notAKey(file, label.startsWith("PRIVATE") ? "private" : "public", null);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw notAKey(file, label.startsWith("PRIVATE") ? "private" : "public", e);
        }
    }

    private static FerryException notAKey(Path file, String kind, Exception cause) {
        return new FerryException(ErrorCode.USAGE, file + " is not an Ed25519 " + kind + " key in PEM form",
                "create a key pair with `ferry download-file keygen` (or `openssl genpkey -algorithm ed25519`)", cause);
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
