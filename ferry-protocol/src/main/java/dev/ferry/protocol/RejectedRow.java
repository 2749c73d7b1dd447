package dev.ferry.protocol;

import dev.ferry.core.error.ErrorCode;

import java.util.List;

/** A row the server did not apply, with the reason; the remote marks it {@code error}. */
public record RejectedRow(String table, List<Object> key, ErrorCode code, String message) {
}
