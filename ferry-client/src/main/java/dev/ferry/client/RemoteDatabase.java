package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.protocol.IncarnationToken;
import dev.ferry.protocol.SchemaDocument;
import dev.ferry.protocol.downloadfile.DownloadFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A remote database: the embeddable client's entry point.
 *
 * <pre>{@code
 * try (RemoteDatabase remote = RemoteDatabase.open("shop.db")) {
 *     SyncResult r = remote.sync();            // upload local changes, download the server's
 *     remote.rowStates("error").forEach(System.out::println);
 * }
 * }</pre>
 *
 * The application keeps using the database through its own connections; Ferry's triggers record
 * every write. One instance holds one connection and is not thread-safe; syncs of the same remote are
 * serialized across processes by a lock file next to the database.
 */
public final class RemoteDatabase implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RemoteDatabase.class);

    private final String url;
    private final RemoteDialect dialect;
    private final Connection c;
    private TransportSettings transportOverride;

    private RemoteDatabase(String url, RemoteDialect dialect, Connection c) {
        this.url = url;
        this.dialect = dialect;
        this.c = c;
    }

    /**
     * Creates a remote: asks the server for the synchronized tables, registers the remote id to
     * {@code user} for this new database, creates the tables with change tracking and stores the sync
     * settings. The first {@link #sync()} then downloads the data. A remote id the server already knows
     * is refused with {@code REMOTE_ID_IN_USE}; see {@link #create(String, String, String, String, String, boolean)}.
     *
     * @param path a file path (SQLite; {@code *.mv.db} or {@code h2:PATH} for H2) or a JDBC URL
     */
    public static RemoteDatabase create(String path, String serverUrl, String remoteId, String user, String password) {
        return create(path, serverUrl, remoteId, user, password, false, null);
    }

    /**
     * {@link #create(String, String, String, String, String)}, also storing {@code transport} in the
     * remote for every later sync (null: store nothing, use the defaults).
     */
    public static RemoteDatabase create(String path, String serverUrl, String remoteId, String user, String password,
                                        TransportSettings transport) {
        return create(path, serverUrl, remoteId, user, password, false, transport);
    }

    /**
     * {@link #create(String, String, String, String, String)}, where {@code replace} lets the user the
     * remote id is registered to make this new database that remote id: the server records when and by
     * whom, forgets what it knew of the id, and refuses the database that was it before with
     * {@code REMOTE_REINITIALIZED}. Other users get {@code FORBIDDEN}. {@code transport} as above.
     */
    public static RemoteDatabase create(String path, String serverUrl, String remoteId, String user, String password, boolean replace,
                                        TransportSettings transport) {
        return create(path, serverUrl, remoteId, user, password, replace, transport, List.of());
    }

    /**
     * {@link #create(String, String, String, String, String, boolean, TransportSettings)}, subscribing to
     * {@code publications} (docs/PARTITIONS.md; empty = every publication): the remote gets only their
     * tables. An unknown name is {@code PUBLICATION_NOT_FOUND}.
     */
    public static RemoteDatabase create(String path, String serverUrl, String remoteId, String user, String password, boolean replace,
                                        TransportSettings transport, List<String> publications) {
        validateRemoteId(remoteId);
        String url = Dialects.remoteUrl(path);
        HttpTransport http = HttpTransport.withPassword(serverUrl, user, password, transport == null ? TransportSettings.DEFAULTS : transport);
        SchemaDocument schema = http.schema(publications);
        RemoteDialect dialect = Dialects.remote(url).forNewRemote(SyncSchema.of(schema.tables()));
        Connection c = connect(url, dialect);
        String incarnation = IncarnationToken.fresh();
        boolean registered = false;
        try {
            if (initialized(c)) {
                throw new FerryException(ErrorCode.REMOTE_ALREADY_INITIALIZED, path + " is already a Ferry remote",
                        "use `ferry remote sync --db " + path + "`, or delete the file to start over");
            }
            // Registered before anything is created here, so a refused id leaves the file as it was (H2 commits DDL at once).
            String credential = http.register(remoteId, incarnation, replace, publications).credential();
            registered = true;
            c.setAutoCommit(false);
            SyncSchema tables = SyncSchema.of(schema.tables());
            dialect.createTables(c, tables);
            dialect.installTracking(c, tables);
            RemoteState.update(c, "remote_id = ?, server_url = ?, user_name = ?, credential = ?, consolidated_id = ?",
                    remoteId, serverUrl, user, credential, schema.consolidatedId());
            Incarnation.write(c, incarnation);
            SchemaVersionRecord.write(c, schema.version());
            if (transport != null) {
                TransportSettingsSources.store(c, transport);
            }
            dialect.commitDurably(c);
            return new RemoteDatabase(url, dialect, c);
        } catch (SQLException e) {
            close(c);
            throw new FerryException(ErrorCode.DATABASE_ERROR, "creating remote " + remoteId + " in " + path + " failed: " + e.getMessage(),
                    registered ? "the server has registered remote id " + remoteId + " to you already: run `ferry remote init` again with --replace" : null, e);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    /** Opens an existing remote. */
    public static RemoteDatabase open(String path) {
        String url = Dialects.remoteUrl(path);
        RemoteDialect dialect = Dialects.remote(url);
        if (url.startsWith("jdbc:sqlite:") && !Files.exists(Path.of(url.substring("jdbc:sqlite:".length())))) {
            throw new FerryException(ErrorCode.REMOTE_NOT_INITIALIZED, "no remote database at " + path, "create it with `ferry remote init`");
        }
        Connection c = connect(url, dialect);
        try {
            if (!initialized(c)) {
                throw new FerryException(ErrorCode.REMOTE_NOT_INITIALIZED, path + " is not a Ferry remote", "create it with `ferry remote init`");
            }
            c.setAutoCommit(false);
            RemoteDialect named = dialect.forExistingRemote(c);
            c.commit();
            return new RemoteDatabase(url, named, c);
        } catch (SQLException e) {
            close(c);
            throw new FerryException(ErrorCode.DATABASE_ERROR, "opening remote " + path + " failed: " + e.getMessage(), null, e);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    /** A full sync: upload local changes, then download the server's. */
    public SyncResult sync() {
        return sync(SyncMode.FULL, SyncListener.NONE);
    }

    /**
     * Runs one sync session. On failure nothing is half-applied: local changes stay pending, and
     * the next sync picks up where this one stopped.
     */
    public SyncResult sync(SyncMode mode, SyncListener listener) {
        try (RemoteSyncLock lock = RemoteSyncLock.acquire(url)) {
            RemoteTables tables = RemoteTables.load(c);
            dialect.refreshTracking(c, tables.tables());
            c.commit();
            ClientSession session = new ClientSession(c, dialect, tables, listener, this::transport);
            SyncResult result = session.run(mode);
            if (session.schemaChangedTo() == null) {
                return result;
            }
            return upgraded(tables, session.schemaChangedTo(), result, mode, listener);
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "sync of " + url + " failed locally: " + e.getMessage(), null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server serves another schema than this remote's tables follow (docs/SCHEMAS.md, "Schema
     * changes"); the upload, if any, was applied. Upgrade the tables to it, keeping every pending change,
     * then download everything again in the same call (unless the sync was upload-only), so that the
     * columns and tables added arrive.
     */
    private SyncResult upgraded(RemoteTables before, String version, SyncResult uploaded, SyncMode mode, SyncListener listener)
            throws SQLException, IOException {
        RemoteState state = RemoteState.read(c);
        c.commit();
        SchemaDocument schema = transport(state).schemaOf(state.remoteId());
        LOG.info("remote {}: the server serves schema version {} (this remote had {}): upgrading", state.remoteId(), schema.version(),
                SchemaVersionRecord.read(c));
        try {
            SchemaUpgrade.apply(c, dialect, state.remoteId(), before, schema);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
        if (mode == SyncMode.UPLOAD_ONLY) {
            return uploaded;
        }
        SyncResult downloaded = new ClientSession(c, dialect, RemoteTables.load(c), listener, this::transport).run(SyncMode.DOWNLOAD_ONLY);
        return uploaded.followedBy(downloaded);
    }

    /**
     * Starts this remote over against the server, for the way out of a {@code PROGRESS_MISMATCH} (a
     * restored backup, say) or a move to another consolidated database: the progress counter goes back
     * to 0 and the download position is forgotten, so the next sync makes the server forget what it knew
     * of this remote id, uploads every local change still pending (compared with the server's rows like
     * any upload, so conflicts are resolved and logged, not lost) and downloads every row and every
     * recorded delete. Rows in {@code error} stay as they are. The remote gets a new incarnation, so that
     * sync also makes this copy the remote id on the server (recorded as a re-initialization; every other
     * copy is refused with {@code REMOTE_REINITIALIZED} from then on). Nothing is sent now.
     *
     * @param serverUrl the server to sync with from now on, or null to keep the current one; a new
     *                  server also forgets the consolidated identity the remote had pinned and the credential
     *                  of the old server (get one from the new server with {@link #renewCredential})
     * @return how many local changes (pending rows and rows in error) were kept
     */
    public long reset(String serverUrl) {
        try (RemoteSyncLock lock = RemoteSyncLock.acquire(url)) {
            RemoteTables tables = RemoteTables.load(c);
            new PendingRows(dialect, tables).settleNotApplied(c);
            RemoteState.update(c, "progress = 0, pending_upload = NULL, pending_upload_id = NULL, last_download = 0, last_download_time = NULL,"
                    + " last_upload_time = NULL, upload_log_since = 1");
            // Uploads are numbered from 1 again: the log of the old numbering means nothing to the server now.
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM ferry_upload_log");
            }
            // A new incarnation: the next sync makes this copy the remote id, and the server refuses every other copy
            // as replaced (REMOTE_REINITIALIZED) instead of taking it for an old backup.
            Incarnation.write(c, IncarnationToken.fresh());
            if (serverUrl != null) {
                RemoteState.update(c, "server_url = ?, consolidated_id = NULL, credential = NULL", serverUrl);
            }
            long kept;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ferry_pending")) {
                rs.next();
                kept = rs.getLong(1);
            }
            dialect.commitDurably(c);
            return kept;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new FerryException(ErrorCode.DATABASE_ERROR, "resetting " + url + " failed: " + e.getMessage(), null, e);
        }
    }

    /**
     * Drops the local change to one row, pending or in state {@code error}, for a change the server will
     * never take (a row it rejects, say): the row goes back to the version the server has, or is
     * removed if the server never had it, and counts as synced. Not uploaded; a newer server version
     * arrives with the next sync. See {@link #retry} for the other way out.
     *
     * @param table a synchronized table (exact name, or case-insensitive when unambiguous)
     * @param key   the row's key as {@code ferry_pending.pk} shows it, e.g. {@code [42]} or {@code ["a",7]}; a
     *              one-column key may be given as its plain value ({@code 42})
     * @throws FerryException {@code REMOTE_BUSY} while a sync runs; {@code USAGE} for an unknown table, a
     *                        malformed key, a row without local change or one in an unanswered upload; a
     *                        {@code ROW_*} code when the remote's own constraints refuse the restored row
     */
    public DiscardOutcome discard(String table, String key) {
        try (RemoteSyncLock lock = RemoteSyncLock.acquire(url)) {
            return new LocalChangeCommands(c, dialect).discard(table, key);
        }
    }

    /**
     * Makes a row in state {@code error} pending again, so the next sync uploads it (after the cause was
     * fixed on the server). Same arguments and errors as {@link #discard}; a row that is not in error is
     * {@code USAGE}.
     *
     * @return the row's state now ({@code inserted}, {@code updated} or {@code deleted})
     */
    public RowState retry(String table, String key) {
        try (RemoteSyncLock lock = RemoteSyncLock.acquire(url)) {
            return new LocalChangeCommands(c, dialect).retry(table, key);
        }
    }

    /**
     * Takes the next key of this remote's key ranges for a new row of {@code table} (docs/SCHEMAS.md,
     * "Keys created offline"), for an application that needs the key before its INSERT (to write the
     * row's children in the same transaction, say). Committed at once: a key taken and never used is
     * skipped, never given twice. On SQLite the INSERT may instead name
     * {@code (SELECT next_key FROM ferry_next_key WHERE table_name = 't')}; on H2 the key column's
     * default takes the next key by itself. Not to be called while {@link #sync} runs on this instance.
     *
     * @throws FerryException {@code KEY_RANGE_EXHAUSTED} when every key of the table's ranges is used
     *                        (the next sync brings a new range), {@code USAGE} for a table this remote
     *                        does not synchronize
     */
    public long nextKey(String table) {
        try {
            TableDef t = RemoteTables.load(c).named(table);
            long key = dialect.keyRanges().take(c, t);
            dialect.commitDurably(c);
            return key;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new FerryException(ErrorCode.DATABASE_ERROR, "taking a key of table " + table + " on " + url + " failed: " + e.getMessage(), null, e);
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private void rollbackQuietly() {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone either way
        }
    }

    private HttpTransport transport(RemoteState state) {
        if (state.credential() == null) {
            throw new FerryException(ErrorCode.AUTH_FAILED, "remote " + state.remoteId() + " holds no credential for " + state.serverUrl(),
                    "prove the user's identity with `ferry remote passwd --db FILE --user USER`");
        }
        return HttpTransport.withCredential(state.serverUrl(), state.credential(), transportSettings());
    }

    /**
     * Proves {@code user}'s identity to the server again with the password and stores the new credential
     * the server issues for this remote id (the old ones are revoked): after a credential was revoked,
     * the user's password changed, or the remote moved to another server ({@link #reset(String)}). The
     * password itself is not stored. A user who may not act for the remote id gets {@code FORBIDDEN}.
     */
    public void renewCredential(String user, String password) {
        try (RemoteSyncLock lock = RemoteSyncLock.acquire(url)) {
            RemoteState state = RemoteState.read(c);
            c.commit();
            String credential = HttpTransport.withPassword(state.serverUrl(), user, password, transportSettings())
                    .renewCredential(state.remoteId()).credential();
            RemoteState.update(c, "user_name = ?, credential = ?", user, credential);
            dialect.commitDurably(c);
        } catch (SQLException e) {
            rollbackQuietly();
            throw new FerryException(ErrorCode.DATABASE_ERROR, "storing the new credential in " + url + " failed: " + e.getMessage(),
                    "run `ferry remote passwd` again: the server has revoked the old credential", e);
        }
    }

    /** The timeouts the next sync uses: see {@link TransportSettings} for where they come from. */
    public TransportSettings transportSettings() {
        try {
            TransportSettings s = TransportSettingsSources.effective(c, transportOverride, System.getenv());
            c.commit();
            return s;
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "reading the transport settings of " + url + " failed: " + e.getMessage(), null, e);
        }
    }

    /** Uses {@code settings} for the syncs of this instance, over the stored ones and the environment; null goes back to those. */
    public void useTransportSettings(TransportSettings settings) {
        transportOverride = settings;
    }

    /** Stores {@code settings} in the remote: every later sync, in any process, uses them unless the environment or the caller overrides them. */
    public void saveTransportSettings(TransportSettings settings) {
        try {
            TransportSettingsSources.store(c, java.util.Objects.requireNonNull(settings, "settings"));
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new FerryException(ErrorCode.DATABASE_ERROR, "storing the transport settings of " + url + " failed: " + e.getMessage(), null, e);
        }
    }

    /**
     * Pins {@code certificate} (read with {@link PinnedServerCertificate#read}): every later sync trusts an
     * {@code https://} server only with it; null goes back to the JVM's default trust store. The stored
     * timeouts stay as they are. See {@link TransportSettings#trustedCertificate()}.
     */
    public void trustServerCertificate(java.security.cert.X509Certificate certificate) {
        try {
            TransportSettingsSources.storeTrustedCertificate(c, certificate);
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new FerryException(ErrorCode.DATABASE_ERROR, "storing the trusted server certificate of " + url + " failed: " + e.getMessage(), null, e);
        }
    }

    /**
     * Applies a download file (docs/DOWNLOAD-FILES.md) in one local transaction, if it passes the checks
     * of seed 001; otherwise throws a {@code DOWNLOAD_FILE_*} (or identity) error and leaves the remote
     * exactly as it was. Takes the remote's sync lock, so it never overlaps a sync.
     *
     * @param trusted the key the file must be signed with; null to use the key trusted with
     *                {@link #trustDownloadFileKey}, if any (then unsigned files are accepted only when there is none)
     */
    public DownloadFileResult applyDownloadFile(Path file, PublicKey trusted, SyncListener listener) {
        DownloadFile opened = DownloadFile.open(file);
        try (RemoteSyncLock lock = RemoteSyncLock.acquire(url)) {
            return new DownloadFileApplier(c, dialect).apply(opened, trusted, listener);
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "applying " + file + " to " + url + " failed locally: " + e.getMessage(), null, e);
        }
    }

    /** From now on, download files must be signed with {@code key}; null accepts unsigned files again. */
    public void trustDownloadFileKey(PublicKey key) {
        try {
            TrustedKey.write(c, key);
            c.commit();
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "storing the trusted key in " + url + " failed: " + e.getMessage(), null, e);
        }
    }

    /** The key download files must be signed with, or null when unsigned files are accepted. */
    public PublicKey trustedDownloadFileKey() {
        try {
            PublicKey key = TrustedKey.read(c);
            c.commit();
            return key;
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "reading the trusted key of " + url + " failed: " + e.getMessage(), null, e);
        }
    }

    /**
     * This remote's id, read from its state row alone. Cheaper than {@link #status}, whose counts per
     * state read every row of every synchronized table (0.65 s on a 420,000-row remote, issue 12).
     */
    public String remoteId() {
        try {
            String id = RemoteState.read(c).remoteId();
            c.commit();
            return id;
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "reading the remote id of " + url + " failed: " + e.getMessage(), null, e);
        }
    }

    /** Sync position and row counts per state; reads every row of every synchronized table (see {@link #remoteId}). */
    public RemoteStatus status() {
        try {
            RemoteState s = RemoteState.read(c);
            Map<String, Long> byState = new LinkedHashMap<>();
            for (String st : List.of("synced", "inserted", "updated", "deleted", "error")) {
                byState.put(st, 0L);
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT state, COUNT(*) FROM ferry_row_state GROUP BY state")) {
                while (rs.next()) {
                    byState.put(rs.getString(1), rs.getLong(2));
                }
            }
            String version = SchemaVersionRecord.read(c);
            Map<String, Long> keysLeft = dialect.keyRanges().keysLeft(c);
            c.commit();
            return new RemoteStatus(s.remoteId(), s.serverUrl(), s.user(), s.consolidatedId(), s.progress(), s.pendingUpload(), s.lastDownload(),
                    s.lastDownloadTime(), s.lastUploadTime(), byState, version, keysLeft);
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "reading the status of " + url + " failed: " + e.getMessage(), null, e);
        }
    }

    /** Every row that is not synced (pending or error), or only those in {@code state} when non-null. */
    public List<RowState> rowStates(String state) {
        String sql = "SELECT tbl, pk, state, error_code, error_message FROM ferry_pending" + (state == null ? "" : " WHERE state = ?")
                + " ORDER BY tbl, change_seq";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (state != null) {
                ps.setString(1, state);
            }
            List<RowState> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RowState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "reading row states of " + url + " failed: " + e.getMessage(), null, e);
        }
    }

    /** The JDBC URL an application can use to open its own connections to this remote. */
    public String jdbcUrl() {
        return url;
    }

    @Override
    public void close() {
        close(c);
    }

    private static Connection connect(String url, RemoteDialect dialect) {
        try {
            Connection c = DriverManager.getConnection(url);
            dialect.configure(c);
            return c;
        } catch (SQLException e) {
            if (dialect.inUseByAnotherProcess(e)) {
                throw RemoteSyncLock.openElsewhere(url, e);
            }
            throw new FerryException(ErrorCode.DATABASE_ERROR, "cannot open remote database " + url + ": " + e.getMessage(), null, e);
        }
    }

    private static boolean initialized(Connection c) throws SQLException {
        return LocalTables.exists(c, "ferry_state");
    }

    private static void validateRemoteId(String id) {
        if (id == null || id.isBlank() || id.length() > 128 || id.chars().anyMatch(Character::isISOControl)) {
            throw new FerryException(ErrorCode.USAGE, "remote id '" + id + "' is invalid: use 1 to 128 printable characters");
        }
    }

    private static void close(Connection c) {
        try {
            if (!c.isClosed()) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                c.close();
            }
        } catch (SQLException ignored) {
            // closing
        }
    }
}
