package dev.ferry.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed server certificate made for one test with the JDK's own {@code keytool} (run as a
 * process, the way an operator would make one), in every form the server and client take: a PKCS#12
 * keystore, the certificate as PEM ({@code keytool -exportcert -rfc}) and the private key as PEM
 * PKCS#8 (keytool cannot export keys, so that one is written from the keystore with the JDK).
 *
 * @param keystore    PKCS#12 file holding the key and certificate
 * @param password    its password
 * @param certificate the certificate, PEM
 * @param key         the private key, PEM PKCS#8
 */
public record TestCertificate(Path keystore, String password, Path certificate, Path key) {
    public static final String PASSWORD = "changeit-test";

    /**
     * A certificate named {@code name} in {@code dir}.
     *
     * @param keyAlg         EC or RSA
     * @param san            keytool's subject alternative names, e.g. {@code dns:localhost,ip:127.0.0.1}
     * @param validityDays   days from now (keytool's {@code -validity})
     * @param startDate      keytool's {@code -startdate} (e.g. {@code -10d}), or null for now
     */
    public static TestCertificate create(Path dir, String name, String keyAlg, String san, int validityDays, String startDate) {
        Path p12 = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key.pem");
        List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", "server", "-keyalg", keyAlg, "-dname", "CN=" + name,
                "-ext", "SAN=" + san, "-validity", String.valueOf(validityDays), "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (startDate != null) {
            gen.addAll(List.of("-startdate", startDate));
        }
        keytool(gen);
        keytool(List.of("-exportcert", "-rfc", "-alias", "server", "-keystore", p12.toString(), "-storepass", PASSWORD, "-file", pem.toString()));
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            Key k = ks.getKey("server", PASSWORD.toCharArray());
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(k.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return new TestCertificate(p12, PASSWORD, pem, key);
    }

    /** EC, for localhost and 127.0.0.1, valid for a year from now. */
    public static TestCertificate localhost(Path dir, String name) {
        return create(dir, name, "EC", "dns:localhost,ip:127.0.0.1", 365, null);
    }

    private static void keytool(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
