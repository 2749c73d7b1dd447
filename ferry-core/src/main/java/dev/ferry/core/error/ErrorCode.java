package dev.ferry.core.error;

/**
 * Every failure Ferry reports, with the stable code that the wire protocol, the HTTP API and the CLI
 * all show. Codes are part of the public contract: never rename one, only add.
 *
 * <p>{@code httpStatus} is used by the server, {@code exitCode} by the CLI, {@code retriable} tells a
 * client whether the same request may succeed if simply tried again.
 */
public enum ErrorCode {
    USAGE(400, 2, false),
    CONFIG_INVALID(400, 2, false),
    AUTH_FAILED(401, 3, false),
    USER_EXISTS(409, 2, false),
    PROGRESS_MISMATCH(409, 4, false),
    CONSOLIDATED_MISMATCH(409, 4, false),
    SYNC_IN_PROGRESS(409, 5, true),
    SCHEMA_UNSUPPORTED_TYPE(422, 6, false),
    SCHEMA_FK_CYCLE(422, 6, false),
    SCHEMA_NO_TABLES(422, 6, false),
    SCHEMA_MISMATCH(422, 6, false),
    TABLE_NOT_FOUND(422, 6, false),
    /**
     * A key column's collation makes different texts the same key (case- or accent-insensitive), which
     * remotes cannot reproduce: refused at provisioning, naming table, column and collation.
     */
    SCHEMA_KEY_COLLATION(422, 6, false),
    /** Several tables or columns are refused at once; the message lists every one with its own reason and hint. */
    SCHEMA_REFUSED(422, 6, false),
    PROTOCOL_ERROR(400, 7, false),
    UPLOAD_REJECTED(422, 8, false),
    RETRIES_EXHAUSTED(503, 9, true),
    DATABASE_UNAVAILABLE(503, 9, true),
    DATABASE_ERROR(500, 10, false),
    TRANSPORT_FAILED(503, 11, true),
    REMOTE_NOT_INITIALIZED(400, 12, false),
    REMOTE_ALREADY_INITIALIZED(409, 12, false),
    REMOTE_BUSY(409, 5, true),
    /**
     * The consolidated database lost uploads this remote had acknowledged (restored, failed over) and the
     * remote can no longer send all of them again: its upload log does not reach back far enough.
     */
    CONSOLIDATED_RESTORED(409, 4, false),
    INTERNAL(500, 1, false),

    // Who a remote id belongs to (issue 10, defects 4 and 5; docs/GUARANTEES.md "Remote ids and their owners").
    /** The user may not act for this remote id: it is registered to another user who has not been granted it. */
    FORBIDDEN(403, 17, false),
    /** {@code ferry remote init} with a remote id the server already knows, without {@code --replace}. */
    REMOTE_ID_IN_USE(409, 12, false),
    /** Another database became this remote id ({@code remote init --replace} or {@code remote reset}) after this one. */
    REMOTE_REINITIALIZED(409, 4, false),
    /** An administrator named a remote id the consolidated database has never registered. */
    REMOTE_NOT_FOUND(404, 2, false),
    /** An administrator named a sync user that does not exist. */
    USER_NOT_FOUND(404, 2, false),

    /**
     * Client side only (issue 11, docs/SECURITY.md "TLS"): the {@code https://} server's certificate is not
     * trusted (unknown CA, not the pinned certificate, expired) or does not name the host connected to.
     */
    TLS_UNTRUSTED(502, 20, false),
    // Login throttling (issue 11; docs/SECURITY.md "Login throttling").
    /** Too many failed logins for this user, client address or remote id: refused until the block ends (HTTP Retry-After). */
    AUTH_THROTTLED(429, 19, true),

    // A download file the remote refused (docs/DOWNLOAD-FILES.md). The remote is left exactly as it was.
    /** Check 1: the file starts after the remote's last download, so changes in between would be missed. */
    DOWNLOAD_FILE_MISSING_RANGE(409, 13, false),
    /** Check 2: the remote already has everything the file holds (applied out of order, or twice). */
    DOWNLOAD_FILE_STALE(409, 14, false),
    /** Check 3: the file was created before the remote's last upload, so it could undo what was uploaded. */
    DOWNLOAD_FILE_PREDATES_UPLOAD(409, 14, false),
    /** Check 3: the remote's last upload was never acknowledged, so its upload time is unknown. */
    DOWNLOAD_FILE_UPLOAD_UNCONFIRMED(409, 15, false),
    /** Check 4: rows in the file have local changes still waiting to be uploaded. */
    DOWNLOAD_FILE_PENDING_ROWS(409, 15, false),
    /** Not a complete Ferry download file, or its checksum does not match (truncated, altered, corrupted). */
    DOWNLOAD_FILE_DAMAGED(422, 16, false),
    /** The remote trusts a signing key and the file is unsigned or signed by another key. */
    DOWNLOAD_FILE_UNTRUSTED(403, 16, false),
    /** The file names the remotes it is for, and this remote is not one of them. */
    DOWNLOAD_FILE_NOT_FOR_REMOTE(409, 16, false),

    // Per-row results of an upload: reported for one row, never fail the whole sync by default.
    ROW_CONSTRAINT_VIOLATION(422, 8, false),
    ROW_FOREIGN_KEY_VIOLATION(422, 8, false),
    ROW_DUPLICATE_KEY(422, 8, false),
    ROW_VALUE_OUT_OF_RANGE(422, 8, false),
    ROW_INVALID_VALUE(422, 8, false),
    ROW_NOT_NULL_VIOLATION(422, 8, false),
    ROW_REJECTED(422, 8, false),
    /** Set on the remote: the server deleted this row but local rows still reference it, so it was kept. */
    ROW_DELETE_BLOCKED(409, 8, false),
    /**
     * Set on the remote: a downloaded row its own constraints refused (a foreign key to a row it lacks,
     * a CHECK); kept out, the rest of the download applied, asked for again by every sync until it applies.
     */
    ROW_DOWNLOAD_BLOCKED(409, 8, false),
    /** A conflict on this row could not be resolved: the custom resolver or resolution procedure failed. */
    ROW_CONFLICT_UNRESOLVED(409, 8, false),

    // Partitions (docs/PARTITIONS.md).
    /** An uploaded row outside the remote's partition, into a download-only table (or outside its publications). */
    ROW_FORBIDDEN(403, 8, false),
    /** A publication filter uses a parameter that is set neither for the remote nor for its owner. */
    PARTITION_PARAMETER_MISSING(409, 18, false),
    /** A remote asked for a publication the server does not have. */
    PUBLICATION_NOT_FOUND(404, 18, false),

    /** A request beyond one of the server's limits (bytes, rows per upload, bytes per value, header size): docs/SECURITY.md "Limits". */
    REQUEST_TOO_LARGE(413, 21, false),
    /** The server already runs as many syncs as {@code limits.concurrentSyncs} allows; retry after the {@code Retry-After} seconds. */
    SERVER_BUSY(503, 22, true),
    // Keys created offline (issue 13; docs/SCHEMAS.md "Keys created offline").
    /**
     * {@code sync.keyRanges.tables} names a table whose key cannot take ranges: not one integer column,
     * no sequence, identity or AUTO_INCREMENT behind it, a sequence that cycles, or no room left in its type.
     */
    KEY_RANGE_UNAVAILABLE(422, 6, false),
    /** Remote side: every key of the remote's ranges for a table is used; the next sync brings a new range. */
    KEY_RANGE_EXHAUSTED(409, 23, false),
    /** No endpoint at this path. */
    ENDPOINT_NOT_FOUND(404, 7, false),
    /** The endpoint exists but not for this HTTP method. */
    METHOD_NOT_ALLOWED(405, 7, false),
    /** A request body without {@code Content-Type: application/json}. */
    UNSUPPORTED_MEDIA_TYPE(415, 7, false);

    private final int httpStatus;
    private final int exitCode;
    private final boolean retriable;

    ErrorCode(int httpStatus, int exitCode, boolean retriable) {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
        this.retriable = retriable;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean retriable() {
        return retriable;
    }

    /** Parses a code received over the wire; unknown codes (from a newer server) become {@link #INTERNAL}. */
    public static ErrorCode fromWire(String code) {
        try {
            return valueOf(code);
        } catch (IllegalArgumentException | NullPointerException e) {
            return INTERNAL;
        }
    }
}
