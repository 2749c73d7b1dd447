package dev.ferry.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON shape every HTTP error has, Jetty's and Javalin's own included:
 * {@code {"error": {"code", "message", "hint", "retriable"}}}. Every error carries a hint: the exception's
 * own, or one for its code (issue 11).
 */
final class ErrorBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBody() {
    }

    static Map<String, Object> of(FerryException e) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", e.code().name());
        inner.put("message", e.getMessage());
        inner.put("hint", e.hint() != null ? e.hint() : hintFor(e.code()));
        inner.put("retriable", e.code().retriable());
        return Map.of("error", inner);
    }

    static byte[] json(FerryException e) {
        try {
            return JSON.writeValueAsBytes(of(e));
        } catch (JsonProcessingException x) {
            return "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"internal server error\",\"hint\":\"see the server log\",\"retriable\":false}}"
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The hint of an error that came without its own. */
    static String hintFor(ErrorCode code) {
        return switch (code) {
            case ENDPOINT_NOT_FOUND -> "the endpoints are POST /v1/sync, POST /v1/sync/ack, POST /v1/remotes, GET /v1/schema and GET /health (docs/PROTOCOL.md)";
            case METHOD_NOT_ALLOWED -> "use the HTTP method docs/PROTOCOL.md gives for this endpoint";
            case UNSUPPORTED_MEDIA_TYPE -> "send the body with Content-Type: application/json (and Content-Encoding gzip or none)";
            case REQUEST_TOO_LARGE -> "stay within the server's limits (docs/SECURITY.md \"Limits\"), or ask its operator to raise them";
            case SERVER_BUSY -> "retry after the Retry-After seconds";
            case INTERNAL, DATABASE_ERROR -> "see the server log; report it if it persists";
            case AUTH_FAILED -> "check the sync user name and password";
            default -> code.retriable() ? "run the sync again" : "fix the request (docs/PROTOCOL.md) and send it again";
        };
    }
}
