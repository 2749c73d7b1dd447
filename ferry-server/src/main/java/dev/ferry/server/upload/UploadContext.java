package dev.ferry.server.upload;

import java.time.Instant;

/**
 * Who is uploading and as which upload number: what the conflict log records with each conflict; and
 * the uploading database's incarnation token (null for remotes made before incarnations), which tags
 * the rows it uploaded ({@code EchoTags}).
 */
public record UploadContext(String remoteId, long uploadNumber, Instant startedAt, String incarnation) {
}
