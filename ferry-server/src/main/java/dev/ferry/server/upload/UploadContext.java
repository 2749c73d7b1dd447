package dev.ferry.server.upload;

import java.time.Instant;

/** Who is uploading and as which upload number: what the conflict log records with each conflict. */
public record UploadContext(String remoteId, long uploadNumber, Instant startedAt) {
}
