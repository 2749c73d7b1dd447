package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.CredentialGrant;
import dev.ferry.protocol.Protocol;
import dev.ferry.protocol.Registration;
import dev.ferry.protocol.RegistrationRequest;
import dev.ferry.protocol.SchemaDocument;
import dev.ferry.protocol.SyncResponseHandler;
import dev.ferry.protocol.SyncResponseReader;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Talks to a Ferry server over HTTP(S) with the JDK client: gzip both ways, the user's password or the
 * remote's credential (docs/PROTOCOL.md "Authentication"),
 * responses read as streams. A certificate the TLS handshake refuses becomes {@link ErrorCode#TLS_UNTRUSTED}. Network failures become {@link ErrorCode#TRANSPORT_FAILED} (retriable);
 * server errors keep the code the server sent. A sync the server refused as {@code SERVER_BUSY} is sent
 * again after its {@code Retry-After} ({@link BusyRetry}, within {@link TransportSettings#busyWait}).
 *
 * <p>Never waits forever ({@link TransportSettings}): connecting is bounded by the connect timeout, and
 * every wait for the server by the read timeout counted from the last byte that moved, upload bytes the
 * server took included. The JDK client has only a total request timeout, which would also cut a long
 * healthy download, so the idle time is watched here: before the answer starts by polling the pending
 * response against the time of the last upload progress, after that by {@link IdleTimeoutBody}.
 */
final class HttpTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTNAME_VERIFICATION_OFF = "jdk.internal.httpclient.disableHostnameVerification";
    /** A longer Retry-After is not believed (a broken proxy, say): the default pause is taken instead. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    private final URI base;
    private final String authorization;
    private final TransportSettings settings;
    private final HttpClient client;

    private HttpTransport(String serverUrl, String authorization, TransportSettings settings) {
        this.base = URI.create(serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl);
        this.authorization = authorization;
        this.settings = settings;
        this.client = client(base, settings);
    }

    /**
     * HTTPS is verified against the JVM's default trust store, or only the pinned certificate, and always
     * with host name verification (the JDK client's default, which a JVM property can turn off: refused
     * here rather than silently trusting any host). TLS 1.2 and 1.3 only.
     */
    private static HttpClient client(URI base, TransportSettings settings) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).version(HttpClient.Version.HTTP_1_1);
        if ("https".equalsIgnoreCase(base.getScheme())) {
            String off = System.getProperty(HOSTNAME_VERIFICATION_OFF);
            if (off != null && !off.equalsIgnoreCase("false")) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "the JVM property " + HOSTNAME_VERIFICATION_OFF + " turns off host name"
                        + " verification; Ferry will not talk to " + base + " with it", "remove -D" + HOSTNAME_VERIFICATION_OFF
                        + "; for a self-signed server certificate use --trust-cert FILE");
            }
            SSLParameters params = new SSLParameters();
            params.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
            params.setEndpointIdentificationAlgorithm("HTTPS");
            b.sslParameters(params);
            if (settings.trustedCertificate() != null) {
                b.sslContext(PinnedServerCertificate.context(settings.trustedCertificate()));
            }
        }
        return b.build();
    }

    /** Authenticates with the user's password (HTTP Basic): registration, {@code remote passwd}, the schema before a remote exists. */
    static HttpTransport withPassword(String serverUrl, String user, String password, TransportSettings settings) {
        return new HttpTransport(serverUrl, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)), settings);
    }

    /** Authenticates with the remote's credential ({@code Authorization: Bearer}): every sync and acknowledgement. */
    static HttpTransport withCredential(String serverUrl, String credential, TransportSettings settings) {
        return new HttpTransport(serverUrl, "Bearer " + credential, settings);
    }

    SchemaDocument schema() {
        return schema(List.of());
    }

    /** The tables of {@code publications} (empty: every publication, or every table when the server has none). */
    SchemaDocument schema(List<String> publications) {
        String path = publications.isEmpty() ? Protocol.SCHEMA_PATH
                : Protocol.SCHEMA_PATH + "?publications=" + java.net.URLEncoder.encode(String.join(",", publications), StandardCharsets.UTF_8);
        try (InputStream in = send(request(path), "GET", null)) {
            return SchemaDocument.read(in);
        } catch (IOException e) {
            throw transport(e);
        }
    }

    /** The tables remote {@code remoteId} synchronizes now (its own subscriptions), for its upgrade. */
    SchemaDocument schemaOf(String remoteId) {
        String path = Protocol.SCHEMA_PATH + "?remoteId=" + java.net.URLEncoder.encode(remoteId, StandardCharsets.UTF_8);
        try (InputStream in = send(request(path), "GET", null)) {
            return SchemaDocument.read(in);
        } catch (IOException e) {
            throw transport(e);
        }
    }

    /** Sends a gzip request body from a file and streams the response into {@code handler}. */
    void sync(Path gzipBody, SyncResponseHandler handler) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(gzipBody);
        } catch (IOException e) {
            throw transport(e);
        }
        HttpRequest.Builder req = request(Protocol.SYNC_PATH).header("Content-Type", Protocol.CONTENT_TYPE).header("Content-Encoding", "gzip");
        BusyRetry busy = new BusyRetry(settings.busyWait());
        while (true) {
            // The file publisher reads the file anew for each attempt: the very same request goes again.
            try (InputStream in = send(req, "POST", body)) {
                new SyncResponseReader(in).read(handler);
                return;
            } catch (ServerBusyException e) {
                busy.pauseAfter(e);
            } catch (IOException e) {
                throw transport(e);
            }
        }
    }

    /** Registers a remote id to this user for the database holding {@code incarnation}; see {@link RegistrationRequest}. */
    Registration register(String remoteId, String incarnation, boolean replace) {
        return register(remoteId, incarnation, replace, List.of());
    }

    /** {@link #register(String, String, boolean)}, subscribing to {@code publications} (empty = every publication). */
    Registration register(String remoteId, String incarnation, boolean replace, List<String> publications) {
        HttpRequest.Builder req = request(Protocol.REMOTES_PATH).header("Content-Type", Protocol.CONTENT_TYPE);
        RegistrationRequest body = new RegistrationRequest(remoteId, incarnation, replace, publications.isEmpty() ? null : publications);
        try (InputStream in = send(req, "POST", HttpRequest.BodyPublishers.ofByteArray(body.toJson()))) {
            return Registration.read(in);
        } catch (IOException e) {
            throw transport(e);
        }
    }

    /** A new credential for {@code remoteId}, the old ones revoked ({@code remote passwd}); needs {@link #withPassword}. */
    CredentialGrant renewCredential(String remoteId) {
        try {
            byte[] body = JSON.writeValueAsBytes(Map.of("remoteId", remoteId));
            HttpRequest.Builder req = request(Protocol.CREDENTIAL_PATH).header("Content-Type", Protocol.CONTENT_TYPE);
            try (InputStream in = send(req, "POST", HttpRequest.BodyPublishers.ofByteArray(body))) {
                return CredentialGrant.read(in);
            }
        } catch (IOException e) {
            throw transport(e);
        }
    }

    void ack(String remoteId, long lastDownload) {
        try {
            byte[] body = JSON.writeValueAsBytes(Map.of("remoteId", remoteId, "lastDownload", lastDownload));
            HttpRequest.Builder req = request(Protocol.ACK_PATH).header("Content-Type", Protocol.CONTENT_TYPE);
            send(req, "POST", HttpRequest.BodyPublishers.ofByteArray(body)).close();
        } catch (IOException e) {
            throw transport(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", authorization).header("Accept-Encoding", "gzip");
    }

    /** Sends the request ({@code body} null: none) and returns the body of a 200 answer; any other status becomes its error. */
    private InputStream send(HttpRequest.Builder builder, String method, HttpRequest.BodyPublisher body) {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        HttpRequest req = (body == null ? builder.method(method, HttpRequest.BodyPublishers.noBody())
                : builder.method(method, new ProgressPublisher(body, () -> lastProgress.set(System.nanoTime())))).build();
        HttpResponse<InputStream> resp = awaitHeaders(client.sendAsync(req, info -> new IdleTimeoutBody(settings.readTimeout())), lastProgress);
        try {
            InputStream in = resp.body();
            if (resp.headers().firstValue("Content-Encoding").map(v -> v.contains("gzip")).orElse(false)) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            if (resp.statusCode() != 200) {
                throw error(resp.statusCode(), in, resp.headers().firstValue("Retry-After").orElse(null));
            }
            return in;
        } catch (IOException e) {
            try {
                resp.body().close();
            } catch (IOException ignored) {
                // the exchange is being abandoned anyway
            }
            throw transport(e);
        }
    }

    /** Waits for the status line and headers while the server keeps taking the upload, or for the read timeout after it stopped. */
    private HttpResponse<InputStream> awaitHeaders(CompletableFuture<HttpResponse<InputStream>> pending, AtomicLong lastProgress) {
        long timeout = settings.readTimeout().toNanos();
        try {
            while (true) {
                long idle = System.nanoTime() - lastProgress.get();
                if (idle >= timeout) {
                    pending.cancel(true);
                    throw transport(new HttpTimeoutException("the server did not answer within the read timeout of "
                            + settings.readTimeout().toMillis() + " ms"));
                }
                try {
                    return pending.get(timeout - idle, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // look at the upload's progress again
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw transport(io);
            }
            throw new FerryException(ErrorCode.TRANSPORT_FAILED, "talking to " + base + " failed: " + cause, null, cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.TRANSPORT_FAILED, "interrupted while talking to " + base);
        }
    }

    private FerryException error(int status, InputStream body, String retryAfter) throws IOException {
        try (body) {
            JsonNode node = JSON.readTree(body);
            JsonNode err = node == null ? null : node.get("error");
            if (err != null) {
                ErrorCode code = ErrorCode.fromWire(err.path("code").asText());
                String message = err.path("message").asText();
                String hint = err.hasNonNull("hint") ? err.get("hint").asText() : null;
                return code == ErrorCode.SERVER_BUSY ? new ServerBusyException(message, hint, seconds(retryAfter)) : new FerryException(code, message, hint);
            }
        } catch (IOException e) {
            // not a Ferry error body
        }
        return new FerryException(status == 404 ? ErrorCode.PROTOCOL_ERROR : ErrorCode.TRANSPORT_FAILED,
                "server " + base + " answered HTTP " + status, status == 404 ? "is " + base + " a Ferry server?" : null);
    }

    /** A {@code Retry-After} of whole seconds; null when absent or in another form (an HTTP date). */
    private static Duration seconds(String retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        try {
            long s = Long.parseLong(retryAfter.trim());
            return s < 0 || s > MAX_RETRY_AFTER.toSeconds() ? null : Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private FerryException transport(IOException e) {
        FerryException tls = tlsFailure(e);
        if (tls != null) {
            return tls;
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new FerryException(ErrorCode.TRANSPORT_FAILED, "could not connect to " + base + " within the connect timeout of "
                    + settings.connectTimeout().toMillis() + " ms", "check the server is running and reachable, then sync again:"
                    + " nothing was half-applied (--connect-timeout sets the limit)", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new FerryException(ErrorCode.TRANSPORT_FAILED, "server " + base + " stalled: " + e.getMessage(),
                    "sync again: nothing was half-applied; raise --read-timeout if the server is only slow", e);
        }
        return new FerryException(ErrorCode.TRANSPORT_FAILED, "connection to " + base + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()),
                "check the server is running and reachable, then sync again: nothing was half-applied", e);
    }

    /** A certificate the handshake refused becomes TLS_UNTRUSTED naming why; other TLS failures stay TRANSPORT_FAILED. */
    private FerryException tlsFailure(IOException e) {
        CertificateException refused = null;
        boolean tls = false;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            tls |= t instanceof SSLException;
            if (t instanceof CertificateException c && refused == null) {
                refused = c;
            }
        }
        if (!tls) {
            return null;
        }
        if (refused == null) {
            return new FerryException(ErrorCode.TRANSPORT_FAILED, "TLS handshake with " + base + " failed: " + e.getMessage(),
                    "check that the server serves HTTPS on that port (an http:// URL for a plain-HTTP server), then sync again", e);
        }
        String why = refused.getMessage() == null ? refused.toString() : refused.getMessage();
        if (why.startsWith("No subject alternative") || why.startsWith("No name matching")) {
            return new FerryException(ErrorCode.TLS_UNTRUSTED, "the certificate of " + base + " is not for host " + base.getHost() + ": " + why,
                    "use the server URL with a host name the certificate lists (its subject alternative names), or a certificate issued for "
                            + base.getHost(), e);
        }
        X509Certificate pinned = settings.trustedCertificate();
        return new FerryException(ErrorCode.TLS_UNTRUSTED, "the certificate of " + base + " is not trusted"
                + (pinned == null ? "" : " (only the pinned certificate " + PinnedServerCertificate.fingerprint(pinned) + " is)") + ": " + why,
                pinned == null ? "if the server's certificate is self-signed, pin it: --trust-cert FILE (its certificate, PEM or DER) on"
                        + " ferry remote init or sync; else install its CA in the JVM's trust store"
                        : "pin the server's current certificate: ferry remote sync --trust-cert FILE", e);
    }
}
