package dev.ferry.server.http;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.Protocol;
import dev.ferry.protocol.Registration;
import dev.ferry.protocol.RegistrationRequest;
import dev.ferry.protocol.RemoteIds;
import dev.ferry.protocol.SchemaDocument;
import dev.ferry.protocol.StrictJsonObject;
import dev.ferry.server.config.Limits;
import dev.ferry.server.registration.RemoteRegistry;
import dev.ferry.server.session.ServerSession;
import dev.ferry.server.session.SyncService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.security.BasicAuthCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
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

    private final SyncService service;
    private final RemoteRegistry registry;
    private final Limits limits;
    /** Syncs running now, at most limits.concurrentSyncs (per server process; not sync state). */
    private final Semaphore syncSlots;

    public HttpApi(SyncService service, RemoteRegistry registry) {
        this.service = service;
        this.registry = registry;
        this.limits = service.limits();
        this.syncSlots = new Semaphore(limits.concurrentSyncs());
    }

    public Javalin create() {
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.disableCompression();
            cfg.http.prefer405over404 = true;
            JettyLimits.configure(cfg, limits);
        });
        app.post(Protocol.SYNC_PATH, this::sync);
        app.post(Protocol.ACK_PATH, this::ack);
        app.get(Protocol.SCHEMA_PATH, this::schema);
        app.post(Protocol.REMOTES_PATH, this::register);
        app.get("/health", ctx -> ctx.json(Map.of("status", "ok", "consolidatedId", service.consolidatedId())));
        app.exception(FerryException.class, (e, ctx) -> fail(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, javalinError(e)));
        app.exception(Exception.class, (e, ctx) -> {
            // The stack goes to the log only: an answer never shows Java internals (issue 11).
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            fail(ctx, new FerryException(ErrorCode.INTERNAL, "internal server error", "see the server log; report it if it persists"));
        });
        return app;
    }

    /** After {@link Javalin#start}: the idle timeout reaches connectors, which exist only then. */
    public static void applyConnectorLimits(Javalin app, Limits limits) {
        JettyLimits.applyToConnectors(app, limits);
    }

    private static FerryException javalinError(HttpResponseException e) {
        ErrorCode code = switch (e.getStatus()) {
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.REQUEST_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 401 -> ErrorCode.AUTH_FAILED;
            case 403 -> ErrorCode.FORBIDDEN;
            default -> e.getStatus() >= 500 ? ErrorCode.INTERNAL : ErrorCode.PROTOCOL_ERROR;
        };
        return new FerryException(code, e.getStatus() == 404 ? "no such endpoint" : e.getStatus() == 405 ? "this endpoint does not take that HTTP method"
                : "HTTP " + e.getStatus(), ErrorBody.hintFor(code));
    }

    private void sync(Context ctx) throws IOException {
        BasicAuthCredentials cred = credentials(ctx);
        if (!syncSlots.tryAcquire()) {
            ctx.header("Retry-After", "1");
            throw new FerryException(ErrorCode.SERVER_BUSY, "the server already runs " + limits.concurrentSyncs() + " syncs (limits.concurrentSyncs)",
                    "retry after the Retry-After seconds");
        }
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
        } finally {
            syncSlots.release();
        }
    }

    private void ack(Context ctx) throws IOException {
        BasicAuthCredentials cred = credentials(ctx);
        StrictJsonObject ack = StrictJsonObject.read(body(ctx), "acknowledgement", Set.of("remoteId", "lastDownload"));
        service.acknowledgeDownload(cred.getUsername(), cred.getPassword().toCharArray(), RemoteIds.checked(ack.string("remoteId")),
                ack.counter("lastDownload"));
        ctx.json(Map.of("status", "ok"));
    }

    private void register(Context ctx) throws IOException {
        BasicAuthCredentials cred = credentials(ctx);
        service.users().authenticate(cred.getUsername(), cred.getPassword().toCharArray());
        Registration r = registry.register(cred.getUsername(), RegistrationRequest.read(body(ctx)));
        LOG.info("remote id {} {} for user '{}' from {}", r.remoteId(), r.replaced() ? "re-initialized" : "registered", cred.getUsername(), ctx.ip());
        ctx.res().setContentType(Protocol.CONTENT_TYPE);
        ctx.result(r.toJson());
    }

    private void schema(Context ctx) throws IOException {
        BasicAuthCredentials cred = credentials(ctx);
        service.users().authenticate(cred.getUsername(), cred.getPassword().toCharArray());
        ctx.res().setContentType(Protocol.CONTENT_TYPE);
        new SchemaDocument(Protocol.VERSION, service.consolidatedId(), service.tracking().tables()).write(ctx.res().getOutputStream());
    }

    private static BasicAuthCredentials credentials(Context ctx) {
        BasicAuthCredentials cred = ctx.basicAuthCredentials();
        if (cred == null) {
            throw new FerryException(ErrorCode.AUTH_FAILED, "the request has no credentials", "send HTTP Basic user and password");
        }
        return cred;
    }

    /**
     * The request body, strictly: {@code Content-Type: application/json} required, gzip or no encoding,
     * the bytes counted as sent and after decompression against limits.requestBytes (issue 11).
     */
    private InputStream body(Context ctx) throws IOException {
        String type = ctx.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).split(";")[0].trim().equals(Protocol.CONTENT_TYPE)) {
            throw new FerryException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must have Content-Type " + Protocol.CONTENT_TYPE
                    + (type == null ? " (none was given)" : ""), ErrorBody.hintFor(ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > limits.requestBytes()) {
            throw CountedBody.tooLarge("(Content-Length " + declared + ")", limits.requestBytes());
        }
        InputStream in = new CountedBody(ctx.req().getInputStream(), limits.requestBytes(), "as sent");
        String enc = ctx.header("Content-Encoding");
        if (enc == null || enc.isBlank() || enc.trim().equalsIgnoreCase("identity")) {
            return in;
        }
        if (!enc.trim().equalsIgnoreCase("gzip")) {
            throw new FerryException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Encoding (only gzip or none)",
                    ErrorBody.hintFor(ErrorCode.UNSUPPORTED_MEDIA_TYPE));
        }
        try {
            return new CountedBody(new GZIPInputStream(in, 1 << 16), limits.requestBytes(), "after gzip decompression");
        } catch (IOException e) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "the request body is not a gzip stream; nothing was applied",
                    "send a gzip body with Content-Encoding: gzip, or no Content-Encoding", e);
        }
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
