package dev.ferry.server.tls;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.TlsSettings;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What the server listens with: HTTPS from the configured key material (TLS 1.2 and 1.3 only), or plain
 * HTTP when {@code server.plainHttp} is true. Neither configured is refused with {@code CONFIG_INVALID}
 * naming both ways: credentials travel with every request, so plain HTTP must be a decision. Plain HTTP
 * on an address other than loopback is logged at WARN. Built once at start, before the consolidated
 * database is touched, so a bad keystore fails fast.
 */
public final class Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final String host;
    private final int port;
    private final ServerKeyMaterial keys;

    private Listener(String host, int port, ServerKeyMaterial keys) {
        this.host = host;
        this.port = port;
        this.keys = keys;
    }

    /** Checks the configuration and loads the key material; logs the plain-HTTP warning. */
    public static Listener of(ServerConfig config) {
        TlsSettings tls = config.tls();
        if (tls.enabled()) {
            return new Listener(config.host(), config.port(), ServerKeyMaterial.load(tls));
        }
        if (!tls.plainHttp()) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "no TLS configured and server.plainHttp is not true",
                    "serve HTTPS with server.tls.keystore + server.tls.keystorePassword (PKCS#12) or server.tls.certificate + server.tls.key (PEM),"
                            + " or set server.plainHttp=true (--plain-http, FERRY_SERVER_PLAIN_HTTP=true) behind a TLS terminator or on 127.0.0.1");
        }
        if (!isLoopback(config.host())) {
            LOG.warn("Serving plain HTTP on {}: passwords and data cross the network unencrypted."
                    + " Configure server.tls.* or listen on 127.0.0.1 behind a TLS terminator (docs/SECURITY.md)", config.host());
        }
        return new Listener(config.host(), config.port(), null);
    }

    /** {@code https} or {@code http}. */
    public String scheme() {
        return keys == null ? "http" : "https";
    }

    /** Adds the HTTPS connector to Javalin's Jetty; for plain HTTP Javalin's own connector is kept. */
    public void install(JavalinConfig cfg) {
        if (keys == null) {
            return;
        }
        cfg.jetty.addConnector((server, httpConfig) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(keys.keyStore());
            ssl.setKeyStorePassword(new String(keys.password()));
            ssl.setKeyManagerPassword(new String(keys.password()));
            ssl.setIncludeProtocols(PROTOCOLS);
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            https.addCustomizer(new SecureRequestCustomizer());
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(https));
            connector.setHost(host);
            connector.setPort(port);
            return connector;
        });
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
