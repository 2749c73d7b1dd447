package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.Protocol;
import dev.ferry.protocol.Registration;
import dev.ferry.protocol.RegistrationRequest;
import dev.ferry.protocol.SchemaDocument;
import dev.ferry.protocol.SyncResponseHandler;
import dev.ferry.protocol.SyncResponseReader;

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
 * Talks to a Ferry server over HTTP(S) with the JDK client: gzip both ways, HTTP Basic credentials,
 * responses read as streams. Network failures become {@link ErrorCode#TRANSPORT_FAILED} (retriable);
 * server errors keep the code the server sent.
 *
 * <p>Never waits forever ({@link TransportSettings}): connecting is bounded by the connect timeout, and
 * every wait for the server by the read timeout counted from the last byte that moved, upload bytes the
 * server took included. The JDK client has only a total request timeout, which would also cut a long
 * healthy download, so the idle time is watched here: before the answer starts by polling the pending
 * response against the time of the last upload progress, after that by {@link IdleTimeoutBody}.
 */
final class HttpTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final String authorization;
    private final TransportSettings settings;
    private final HttpClient client;

    HttpTransport(String serverUrl, String user, String password, TransportSettings settings) {
        this.base = URI.create(serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).version(HttpClient.Version.HTTP_1_1).build();
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

    /** Sends a gzip request body from a file and streams the response into {@code handler}. */
    void sync(Path gzipBody, SyncResponseHandler handler) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(gzipBody);
        } catch (IOException e) {
            throw transport(e);
        }
        HttpRequest.Builder req = request(Protocol.SYNC_PATH).header("Content-Type", Protocol.CONTENT_TYPE).header("Content-Encoding", "gzip");
        try (InputStream in = send(req, "POST", body)) {
            new SyncResponseReader(in).read(handler);
        } catch (IOException e) {
            throw transport(e);
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
                throw error(resp.statusCode(), in);
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

    private FerryException error(int status, InputStream body) throws IOException {
        try (body) {
            JsonNode node = JSON.readTree(body);
            JsonNode err = node == null ? null : node.get("error");
            if (err != null) {
                return new FerryException(ErrorCode.fromWire(err.path("code").asText()), err.path("message").asText(),
                        err.hasNonNull("hint") ? err.get("hint").asText() : null);
            }
        } catch (IOException e) {
            // not a Ferry error body
        }
        return new FerryException(status == 404 ? ErrorCode.PROTOCOL_ERROR : ErrorCode.TRANSPORT_FAILED,
                "server " + base + " answered HTTP " + status, status == 404 ? "is " + base + " a Ferry server?" : null);
    }

    private FerryException transport(IOException e) {
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
}
