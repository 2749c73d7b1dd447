package dev.ferry.server.upload;

import dev.ferry.protocol.RejectedRow;

import java.util.List;
import java.util.Map;

/** What one attempt at applying an upload did. */
public record ApplyResult(long applied, List<RejectedRow> rejected, Map<String, Long> conflicts) {
}
