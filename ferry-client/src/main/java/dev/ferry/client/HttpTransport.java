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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Talks to a Ferry server over HTTP(S) with the JDK client: gzip both ways, HTTP Basic credentials,
 * responses read as streams. Network failures become {@link ErrorCode#TRANSPORT_FAILED} (retriable);
 * server errors keep the code the server sent.
 */
final class HttpTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final String authorization;
    private final HttpClient client;

    HttpTransport(String serverUrl, String user, String password) {
        this.base = URI.create(serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    SchemaDocument schema() {
        HttpRequest req = request(Protocol.SCHEMA_PATH).GET().build();
        try (InputStream in = send(req)) {
            return SchemaDocument.read(in);
        } catch (IOException e) {
            throw transport(e);
        }
    }

    /** Sends a gzip request body from a file and streams the response into {@code handler}. */
    void sync(Path gzipBody, SyncResponseHandler handler) {
        HttpRequest req;
        try {
            req = request(Protocol.SYNC_PATH).header("Content-Type", Protocol.CONTENT_TYPE).header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofFile(gzipBody)).build();
        } catch (IOException e) {
            throw transport(e);
        }
        try (InputStream in = send(req)) {
            new SyncResponseReader(in).read(handler);
        } catch (IOException e) {
            throw transport(e);
        }
    }

    /** Registers a remote id to this user for the database holding {@code incarnation}; see {@link RegistrationRequest}. */
    Registration register(String remoteId, String incarnation, boolean replace) {
        HttpRequest req = request(Protocol.REMOTES_PATH).header("Content-Type", Protocol.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new RegistrationRequest(remoteId, incarnation, replace).toJson())).build();
        try (InputStream in = send(req)) {
            return Registration.read(in);
        } catch (IOException e) {
            throw transport(e);
        }
    }

    void ack(String remoteId, long lastDownload) {
        try {
            byte[] body = JSON.writeValueAsBytes(Map.of("remoteId", remoteId, "lastDownload", lastDownload));
            HttpRequest req = request(Protocol.ACK_PATH).header("Content-Type", Protocol.CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            send(req).close();
        } catch (IOException e) {
            throw transport(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", authorization).header("Accept-Encoding", "gzip");
    }

    private InputStream send(HttpRequest req) {
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw transport(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.TRANSPORT_FAILED, "interrupted while talking to " + base);
        }
        try {
            InputStream body = resp.body();
            if (resp.headers().firstValue("Content-Encoding").map(v -> v.contains("gzip")).orElse(false)) {
                body = new GZIPInputStream(body, 1 << 16);
            }
            if (resp.statusCode() != 200) {
                throw error(resp.statusCode(), body);
            }
            return body;
        } catch (IOException e) {
            throw transport(e);
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
        return new FerryException(ErrorCode.TRANSPORT_FAILED, "connection to " + base + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()),
                "check the server is running and reachable, then sync again: nothing was half-applied", e);
    }
}
