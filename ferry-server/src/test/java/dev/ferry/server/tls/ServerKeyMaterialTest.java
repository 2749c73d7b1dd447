package dev.ferry.server.tls;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.TlsSettings;
import dev.ferry.testkit.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerKeyMaterialTest {
    @TempDir
    Path dir;

    @Test
    void aPkcs12KeystoreAndPemFilesOfTheSameKeyLoadTheSameCertificate() {
        TestCertificate ec = TestCertificate.localhost(dir, "ec");
        ServerKeyMaterial fromP12 = ServerKeyMaterial.load(new TlsSettings(ec.keystore(), ec.password(), null, null, false));
        ServerKeyMaterial fromPem = ServerKeyMaterial.load(new TlsSettings(null, "", ec.certificate(), ec.key(), false));
        assertThat(fromPem.certificate()).isEqualTo(fromP12.certificate());
        TestCertificate rsa = TestCertificate.create(dir, "rsa", "RSA", "dns:localhost", 365, null);
        assertThat(ServerKeyMaterial.load(new TlsSettings(null, "", rsa.certificate(), rsa.key(), false)).certificate().getPublicKey().getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void aWrongKeystorePasswordIsAConfigErrorSayingSo() {
        TestCertificate c = TestCertificate.localhost(dir, "c");
        assertConfigError(new TlsSettings(c.keystore(), "not-it", null, null, false), "cannot be opened with server.tls.keystorePassword (wrong password)");
    }

    @Test
    void aMissingFileIsNamedWithItsSetting() {
        assertConfigError(new TlsSettings(dir.resolve("nope.p12"), "x", null, null, false), "server.tls.keystore " + dir.resolve("nope.p12") + " does not exist");
        TestCertificate c = TestCertificate.localhost(dir, "c");
        assertConfigError(new TlsSettings(null, "", c.certificate(), dir.resolve("nope.pem"), false), "server.tls.key " + dir.resolve("nope.pem") + " does not exist");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() {
        TestCertificate a = TestCertificate.localhost(dir, "a");
        TestCertificate b = TestCertificate.localhost(dir, "b");
        assertConfigError(new TlsSettings(null, "", a.certificate(), b.key(), false), "does not belong to its certificate CN=a");
    }

    @Test
    void anExpiredCertificateIsRefusedAtStart() {
        TestCertificate old = TestCertificate.create(dir, "old", "EC", "dns:localhost", 1, "-10d");
        assertConfigError(new TlsSettings(old.keystore(), old.password(), null, null, false), "expired on");
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedWithTheConversionCommand() throws Exception {
        TestCertificate c = TestCertificate.localhost(dir, "c");
        Path sec1 = dir.resolve("sec1.pem");
        Files.writeString(sec1, Files.readString(c.key()).replace("PRIVATE KEY", "EC PRIVATE KEY"));
        assertConfigError(new TlsSettings(null, "", c.certificate(), sec1, false), "holds a EC PRIVATE KEY, not an unencrypted PKCS#8 PRIVATE KEY");
    }

    @Test
    void tlsIsConfiguredOneWayOnly() {
        Path f = dir.resolve("f");
        assertThatThrownBy(() -> new TlsSettings(f, "", f, f, false)).hasMessageContaining("both set");
        assertThatThrownBy(() -> new TlsSettings(null, "", f, null, false)).hasMessageContaining("server.tls.certificate is set without server.tls.key");
        assertThatThrownBy(() -> new TlsSettings(f, "", null, null, true)).hasMessageContaining("server.plainHttp = true and TLS");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("FERRY_SERVER_PLAIN_HTTP", "yes"), Map.of()))
                .hasMessageContaining("server.plainHttp = 'yes' is invalid");
    }

    @Test
    void neitherTlsNorPlainHttpIsRefusedNamingBothWays() {
        assertThatThrownBy(() -> Listener.of(ServerConfig.defaults())).isInstanceOf(FerryException.class)
                .hasMessageContaining("no TLS configured and server.plainHttp is not true")
                .satisfies(e -> assertThat(((FerryException) e).hint()).contains("server.tls.keystore").contains("server.tls.certificate")
                        .contains("server.plainHttp=true"));
    }

    private static void assertConfigError(TlsSettings tls, String message) {
        assertThatThrownBy(() -> ServerKeyMaterial.load(tls)).isInstanceOf(FerryException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }
}
