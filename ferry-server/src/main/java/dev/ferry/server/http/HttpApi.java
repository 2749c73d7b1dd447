package dev.ferry.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.Protocol;
import dev.ferry.protocol.Registration;
import dev.ferry.protocol.RegistrationRequest;
import dev.ferry.protocol.SchemaDocument;
import dev.ferry.server.registration.RemoteRegistry;
import dev.ferry.server.session.ServerSession;
import dev.ferry.server.session.SyncService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.security.BasicAuthCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP surface: {@code POST /v1/sync} (one whole sync per exchange), {@code POST /v1/sync/ack},
 * {@code POST /v1/remotes} (register a remote id), {@code GET /v1/schema}, {@code GET /health}.
 * Credentials come as HTTP Basic. Bodies may be gzip ({@code Content-Encoding} /
 * {@code Accept-Encoding}). Errors share one JSON shape; a FORBIDDEN one is logged at WARN with the
 * user and the client's address.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyncService service;
    private final RemoteRegistry registry;

    public HttpApi(SyncService service, RemoteRegistry registry) {
        this.service = service;
        this.registry = registry;
    }

    public Javalin create() {
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.disableCompression();
        });
        app.post(Protocol.SYNC_PATH, this::sync);
        app.post(Protocol.ACK_PATH, this::ack);
        app.get(Protocol.SCHEMA_PATH, this::schema);
        app.post(Protocol.REMOTES_PATH, this::register);
        app.get("/health", ctx -> ctx.json(Map.of("status", "ok", "consolidatedId", service.consolidatedId())));
        app.exception(FerryException.class, (e, ctx) -> fail(ctx, e));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            fail(ctx, new FerryException(ErrorCode.INTERNAL, "internal server error: " + e));
        });
        return app;
    }

    private void sync(Context ctx) throws IOException {
        BasicAuthCredentials cred = credentials(ctx);
        try (ServerSession session = service.begin(cred.getUsername(), cred.getPassword().toCharArray(), body(ctx))) {
            ctx.status(200);
            ctx.res().setContentType(Protocol.CONTENT_TYPE);
            boolean gzip = accepts(ctx);
            if (gzip) {
                ctx.res().setHeader("Content-Encoding", "gzip");
            }
            OutputStream raw = ctx.res().getOutputStream();
            OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            session.respond(out);
            out.flush();
            if (out instanceof GZIPOutputStream g) {
                g.finish();
            }
            raw.flush();
        }
    }

    private void ack(Context ctx) throws IOException {
        BasicAuthCredentials cred = credentials(ctx);
        JsonNode node = JSON.readTree(body(ctx));
        if (node == null || !node.hasNonNull("remoteId") || !node.hasNonNull("lastDownload")) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "an acknowledgement needs remoteId and lastDownload");
        }
        service.acknowledgeDownload(cred.getUsername(), cred.getPassword().toCharArray(), node.get("remoteId").asText(),
                node.get("lastDownload").asLong());
        ctx.json(Map.of("status", "ok"));
    }

    private void register(Context ctx) throws IOException {
        BasicAuthCredentials cred = credentials(ctx);
        service.users().authenticate(cred.getUsername(), cred.getPassword().toCharArray());
        RegistrationRequest req = RegistrationRequest.read(body(ctx));
        // Unknown publication names are refused before the id is registered (docs/PARTITIONS.md).
        java.util.List<String> subscribed = service.subscription(req.publications());
        Registration r = registry.register(cred.getUsername(), req);
        service.subscribe(r.remoteId(), subscribed);
        LOG.info("remote id {} {} for user '{}' from {}", r.remoteId(), r.replaced() ? "re-initialized" : "registered", cred.getUsername(), ctx.ip());
        ctx.res().setContentType(Protocol.CONTENT_TYPE);
        ctx.result(r.toJson());
    }

    private void schema(Context ctx) throws IOException {
        BasicAuthCredentials cred = credentials(ctx);
        service.users().authenticate(cred.getUsername(), cred.getPassword().toCharArray());
        ctx.res().setContentType(Protocol.CONTENT_TYPE);
        // A remote creates only the tables of the publications it subscribes to (docs/PARTITIONS.md).
        String wanted = ctx.queryParam("publications");
        java.util.List<String> publications = wanted == null || wanted.isBlank() ? java.util.List.of()
                : java.util.Arrays.stream(wanted.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        new SchemaDocument(Protocol.VERSION, service.consolidatedId(), service.partitions().view(publications).schema())
                .write(ctx.res().getOutputStream());
    }

    private static BasicAuthCredentials credentials(Context ctx) {
        BasicAuthCredentials cred = ctx.basicAuthCredentials();
        if (cred == null) {
            throw new FerryException(ErrorCode.AUTH_FAILED, "the request has no credentials", "send HTTP Basic user and password");
        }
        return cred;
    }

    private static InputStream body(Context ctx) throws IOException {
        InputStream in = ctx.req().getInputStream();
        String enc = ctx.header("Content-Encoding");
        return enc != null && enc.toLowerCase().contains("gzip") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static boolean accepts(Context ctx) {
        String enc = ctx.header("Accept-Encoding");
        return enc != null && enc.toLowerCase().contains("gzip");
    }

    private static void fail(Context ctx, FerryException e) {
        if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.DATABASE_ERROR) {
            LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.oneLine(), e);
        } else if (e.code() == ErrorCode.FORBIDDEN) {
            // An authenticated user tried to act for someone else's remote id: worth an operator's look (issue 10).
            BasicAuthCredentials cred = ctx.basicAuthCredentials();
            LOG.warn("{} {} refused for user '{}' from {}: {}", ctx.method(), ctx.path(), cred == null ? null : cred.getUsername(), ctx.ip(),
                    e.getMessage());
        } else {
            LOG.info("{} {} refused: {}", ctx.method(), ctx.path(), e.oneLine());
        }
        ctx.status(e.code().httpStatus()).json(ErrorBody.of(e));
    }
}
