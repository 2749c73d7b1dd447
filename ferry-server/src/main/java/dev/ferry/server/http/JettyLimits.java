package dev.ferry.server.http;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.config.Limits;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Jetty side of the limits (issues 11, 12), in one place: header size, the idle timeout of connections
 * and of blocking body reads, the request thread pool and the listen backlog, and an error handler so that errors Jetty
 * answers itself (a header too large, broken chunking, a bad request line) have the same JSON shape as
 * every other error. Stateless.
 */
final class JettyLimits {
    private JettyLimits() {
    }

    /** Applies the limits that must be set before the server starts. */
    static void configure(JavalinConfig cfg, Limits limits) {
        cfg.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(limits.headerBytes());
            http.setIdleTimeout(limits.idleTimeout().toMillis());
            // Jetty's minimum data rate would count the time a sync waits for its slot (issue 12): MinimumRateBody enforces it instead.
            http.setMinRequestDataRate(0);
            http.setSendServerVersion(false);
        });
        QueuedThreadPool threads = new QueuedThreadPool(limits.httpThreads(), Math.min(8, limits.httpThreads()));
        threads.setName("ferry-http");
        cfg.jetty.threadPool = threads;
        cfg.jetty.modifyServer(server -> {
            server.setErrorHandler(new JsonErrorHandler());
            // The connectors exist once Javalin starts the server, and their backlog must be set before they bind.
            server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector c : server.getConnectors()) {
                        if (c instanceof ServerConnector s) {
                            s.setAcceptQueueSize(limits.acceptQueue());
                        }
                    }
                }
            });
        });
        cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
    }

    /** Applies the idle timeout to every connector of a started server (they exist only once it started). */
    static void applyToConnectors(Javalin app, Limits limits) {
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractConnector a) {
                a.setIdleTimeout(limits.idleTimeout().toMillis());
            }
        }
    }

    /** Jetty's own error answers in Ferry's JSON shape, with no server internals. */
    static final class JsonErrorHandler extends ErrorHandler {
        @Override
        public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response) throws IOException {
            baseRequest.setHandled(true);
            byte[] body = json(response.getStatus(), null);
            response.setContentType("application/json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(json(status, reason));
        }

        private static byte[] json(int status, String reason) {
            ErrorCode code = switch (status) {
                case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
                case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
                case 413, 431 -> ErrorCode.REQUEST_TOO_LARGE;
                case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
                case 503 -> ErrorCode.SERVER_BUSY;
                default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.PROTOCOL_ERROR;
            };
            String message = "HTTP " + status + (reason == null || reason.isBlank() ? "" : ": " + reason.replaceAll("[^\\p{Print}]", "?"));
            return ErrorBody.json(new FerryException(code, message, ErrorBody.hintFor(code)));
        }
    }
}
