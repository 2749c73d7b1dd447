package dev.ferry.server.http;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.CredentialGrant;
import dev.ferry.protocol.Protocol;
import dev.ferry.protocol.Registration;
import dev.ferry.protocol.RegistrationRequest;
import dev.ferry.protocol.RemoteIds;
import dev.ferry.protocol.SchemaDocument;
import dev.ferry.protocol.StrictJsonObject;
import dev.ferry.server.auth.LoginThrottledException;
import dev.ferry.server.auth.Principal;
import dev.ferry.server.config.Limits;
import dev.ferry.server.registration.RemoteRegistry;
import dev.ferry.server.session.ServerSession;
import dev.ferry.server.session.SyncService;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP surface: {@code POST /v1/sync} (one whole sync per exchange), {@code POST /v1/sync/ack},
 * {@code POST /v1/remotes} (register a remote id), {@code POST /v1/remotes/credential} (a new
 * credential, {@code remote passwd}), {@code GET /v1/schema}, {@code GET /health}. Who may call what is
 * {@link RequestCredentials}'s; an AUTH_THROTTLED answer carries {@code Retry-After}. Bodies may be gzip ({@code Content-Encoding} /
 * {@code Accept-Encoding}). Errors share one JSON shape; a FORBIDDEN one is logged at WARN with the
 * user and the client's address.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String PRINCIPAL = "ferry.principal";
    /**
     * Responses up to 64 MiB (gzip) are held back until the session's database work is done ({@link SpooledResponse});
     * larger ones stream as they are read, so the client is not kept waiting in silence for long.
     */
    private static final long SPOOL_BYTES = 64L << 20;

    private final SyncService service;
    private final RemoteRegistry registry;
    private final Limits limits;
    /** Syncs running now and waiting for a slot (per server process; not sync state). */
    private final SyncAdmission admission;

    public HttpApi(SyncService service, RemoteRegistry registry) {
        this.service = service;
        this.registry = registry;
        this.limits = service.limits();
        this.admission = new SyncAdmission(limits);
    }

    public Javalin create() {
        return create(cfg -> { });
    }

    /** {@code server} adds to Javalin's configuration: the HTTPS connector ({@code dev.ferry.server.tls.Listener}). */
    public Javalin create(Consumer<JavalinConfig> server) {
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.disableCompression();
            cfg.http.prefer405over404 = true;
            JettyLimits.configure(cfg, limits);
            server.accept(cfg);
        });
        app.post(Protocol.SYNC_PATH, this::sync);
        app.post(Protocol.ACK_PATH, this::ack);
        app.get(Protocol.SCHEMA_PATH, this::schema);
        app.post(Protocol.REMOTES_PATH, this::register);
        app.post(Protocol.CREDENTIAL_PATH, this::renewCredential);
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
        // Waiting here takes no pooled connection: the slot comes first, then authentication and the body.
        admission.enter();
        OutputStream raw;
        SpooledResponse spool;
        try (ServerSession session = service.begin(() -> principal(ctx, RequestCredentials.credential(ctx, service.authenticator())), body(ctx))) {
            ctx.status(200);
            ctx.res().setContentType(Protocol.CONTENT_TYPE);
            boolean gzip = accepts(ctx);
            if (gzip) {
                ctx.res().setHeader("Content-Encoding", "gzip");
            }
            raw = ctx.res().getOutputStream();
            spool = new SpooledResponse(raw, SPOOL_BYTES);
            OutputStream out = gzip ? new GZIPOutputStream(spool, 1 << 16) : spool;
            session.respond(out);
            out.flush();
            if (out instanceof GZIPOutputStream g) {
                g.finish();
            }
        } finally {
            admission.leave();
        }
        // The session's database work is done and its slot free: the client reads at its own pace (issue 12).
        try (spool) {
            spool.release();
            raw.flush();
        }
    }

    private void ack(Context ctx) throws IOException {
        Principal who = principal(ctx, RequestCredentials.credential(ctx, service.authenticator()));
        StrictJsonObject ack = StrictJsonObject.read(body(ctx), "acknowledgement", Set.of("remoteId", "lastDownload"));
        service.acknowledgeDownload(who, RemoteIds.checked(ack.string("remoteId")), ack.counter("lastDownload"));
        ctx.json(Map.of("status", "ok"));
    }

    private void register(Context ctx) throws IOException {
        Principal who = principal(ctx, RequestCredentials.password(ctx, service.authenticator()));
        RegistrationRequest req = RegistrationRequest.read(body(ctx));
        // Unknown publication names are refused before the id is registered (docs/PARTITIONS.md).
        List<String> subscribed = service.subscription(req.publications());
        Registration r = registry.register(who.user(), req, subscribed);
        LOG.info("remote id {} {} for user '{}' from {}, with a new credential", r.remoteId(), r.replaced() ? "re-initialized" : "registered",
                who.user(), ctx.ip());
        ctx.res().setContentType(Protocol.CONTENT_TYPE);
        ctx.result(r.toJson());
    }

    /** {@code ferry remote passwd}: the password proves the user again and the remote gets a new credential (the old ones revoked). */
    private void renewCredential(Context ctx) throws IOException {
        Principal who = principal(ctx, RequestCredentials.password(ctx, service.authenticator()));
        StrictJsonObject request = StrictJsonObject.read(body(ctx), "credential request", Set.of("remoteId"));
        CredentialGrant g = registry.renewCredential(who.user(), RemoteIds.checked(request.string("remoteId")));
        LOG.info("remote id {} got a new credential for user '{}' from {}; its earlier ones are revoked", g.remoteId(), who.user(), ctx.ip());
        ctx.res().setContentType(Protocol.CONTENT_TYPE);
        ctx.result(g.toJson());
    }

    private void schema(Context ctx) throws IOException {
        Principal who = principal(ctx, RequestCredentials.either(ctx, service.authenticator()));
        ctx.res().setContentType(Protocol.CONTENT_TYPE);
        String remoteId = ctx.queryParam("remoteId");
        if (remoteId != null) {
            // An existing remote upgrading (docs/SCHEMAS.md "Schema changes"): the tables of its own subscriptions.
            new SchemaDocument(Protocol.VERSION, service.consolidatedId(), service.schemaOf(who, RemoteIds.checked(remoteId))).write(ctx.res().getOutputStream());
            return;
        }
        // A remote creates only the tables of the publications it subscribes to (docs/PARTITIONS.md).
        String wanted = ctx.queryParam("publications");
        List<String> publications = wanted == null || wanted.isBlank() ? List.of()
                : Arrays.stream(wanted.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        new SchemaDocument(Protocol.VERSION, service.consolidatedId(), service.partitions().view(publications).schema())
                .write(ctx.res().getOutputStream());
    }

    /** Remembers who the request proved to be, for the log line of a refusal. */
    private static Principal principal(Context ctx, Principal who) {
        ctx.attribute(PRINCIPAL, who);
        return who;
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
        InputStream in = new CountedBody(new MinimumRateBody(ctx.req().getInputStream(), limits.minBodyBytesPerSecond()), limits.requestBytes(), "as sent");
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
            Principal who = ctx.attribute(PRINCIPAL);
            LOG.warn("{} {} refused for user '{}' from {}: {}", ctx.method(), ctx.path(), who == null ? null : who.user(), ctx.ip(),
                    e.getMessage());
        } else if (e.code() == ErrorCode.SERVER_BUSY) {
            ctx.header("Retry-After", String.valueOf(SyncAdmission.RETRY_AFTER_SECONDS));
            LOG.info("{} {} refused: {}", ctx.method(), ctx.path(), e.oneLine());
        } else if (e instanceof LoginThrottledException t) {
            ctx.header("Retry-After", String.valueOf(t.retryAfterSeconds()));
            LOG.warn("{} {} from {} refused: {}", ctx.method(), ctx.path(), ctx.ip(), e.getMessage());
        } else {
            LOG.info("{} {} refused: {}", ctx.method(), ctx.path(), e.oneLine());
        }
        ctx.status(e.code().httpStatus()).json(ErrorBody.of(e));
    }
}
