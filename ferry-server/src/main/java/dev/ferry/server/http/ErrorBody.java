package dev.ferry.server.http;

import dev.ferry.core.error.FerryException;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON shape every HTTP error has: {@code {"error": {"code", "message", "hint", "retriable"}}}. */
final class ErrorBody {
    private ErrorBody() {
    }

    static Map<String, Object> of(FerryException e) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", e.code().name());
        inner.put("message", e.getMessage());
        if (e.hint() != null) {
            inner.put("hint", e.hint());
        }
        inner.put("retriable", e.code().retriable());
        return Map.of("error", inner);
    }
}
