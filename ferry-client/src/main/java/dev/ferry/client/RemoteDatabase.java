package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.protocol.SchemaDocument;
import dev.ferry.protocol.SyncRequestHeader;
import dev.ferry.protocol.downloadfile.DownloadFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDatabase.class);

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
     * Creates a remote: asks the server for the synchronized tables, creates them with change tracking
     * and stores the sync settings. The first {@link #sync()} then downloads the data.
     *
     * @param path a file path (SQLite; {@code *.mv.db} or {@code h2:PATH} for H2) or a JDBC URL
     */
    public static RemoteDatabase create(String path, String serverUrl, String remoteId, String user, String password) {
        return create(path, serverUrl, remoteId, user, password, null);
    }

    /**
     * {@link #create(String, String, String, String, String)}, also storing {@code transport} in the
     * remote for every later sync (null: store nothing, use the defaults).
     */
    public static RemoteDatabase create(String path, String serverUrl, String remoteId, String user, String password,
                                        TransportSettings transport) {
        validateRemoteId(remoteId);
        String url = Dialects.remoteUrl(path);
        RemoteDialect dialect = Dialects.remote(url);
        SchemaDocument schema = new HttpTransport(serverUrl, user, password, transport == null ? TransportSettings.DEFAULTS : transport).schema();
        Connection c = connect(url, dialect);
        try {
            if (initialized(c)) {
                throw new FerryException(ErrorCode.REMOTE_ALREADY_INITIALIZED, path + " is already a Ferry remote",
                        "use `ferry remote sync --db " + path + "`, or delete the file to start over");
            }
            c.setAutoCommit(false);
            for (TableDef t : schema.tables()) {
                dialect.createTable(c, t);
            }
            dialect.installTracking(c, SyncSchema.of(schema.tables()));
            RemoteState.update(c, "remote_id = ?, server_url = ?, user_name = ?, password = ?, consolidated_id = ?",
                    remoteId, serverUrl, user, password, schema.consolidatedId());
            if (transport != null) {
                TransportSettingsSources.store(c, transport);
            }
            dialect.commitDurably(c);
            return new RemoteDatabase(url, dialect, c);
        } catch (SQLException e) {
            close(c);
            throw new FerryException(ErrorCode.DATABASE_ERROR, "creating remote " + remoteId + " in " + path + " failed: " + e.getMessage(), null, e);
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
            return new RemoteDatabase(url, dialect, c);
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
            Map<String, TableCounts> counts = DownloadApplier.emptyCounts(tables);
            boolean recovered = false;
            RemoteState state = RemoteState.read(c);
            c.commit();
            if (state.pendingUpload() != null) {
                // An earlier upload was sent and never answered. Ask the server about it before
                // building a new one: it is either committed (settle its rows) or not (forget the marks).
                Exchange probe = exchange(tables, state, mode == SyncMode.UPLOAD_ONLY ? SyncMode.UPLOAD_ONLY : SyncMode.DOWNLOAD_ONLY,
                        false, listener, counts);
                recovered = probe.applier().alreadyApplied();
                state = RemoteState.read(c);
                c.commit();
                if (!recovered && mode == SyncMode.DOWNLOAD_ONLY) {
                    return result(counts, state, probe);
                }
            }
            Exchange ex = exchange(tables, state, mode, mode != SyncMode.DOWNLOAD_ONLY, listener, counts);
            state = RemoteState.read(c);
            c.commit();
            SyncResult r = result(counts, state, ex);
            return new SyncResult(r.tables(), r.progress(), r.lastDownload(), r.uploadRetries(), recovered);
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "sync of " + url + " failed locally: " + e.getMessage(), null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Exchange(DownloadApplier applier) {
    }

    private Exchange exchange(RemoteTables tables, RemoteState state, SyncMode mode, boolean upload, SyncListener listener,
                              Map<String, TableCounts> counts) throws SQLException, IOException {
        PendingRows pending = new PendingRows(dialect, tables);
        Path body = Files.createTempFile("ferry-upload-", ".json.gz");
        try {
            listener.phase("upload");
            try {
                if (upload) {
                    pending.markSent(c);
                    RemoteState.update(c, "pending_upload = progress + 1");
                }
                // pendingUpload only asks about an earlier upload whose answer was lost (a probe). Sent with a new
                // upload it would make a copy of this remote one upload behind the server (a restored backup) look
                // like that case, and the server would answer "already applied" for changes it never saw.
                SyncRequestHeader header = new SyncRequestHeader(state.remoteId(), state.consolidatedId(), state.progress(),
                        upload ? null : state.pendingUpload(), state.lastDownload(), state.lastDownload() == 0 && holdsRows(tables),
                        mode.wire(), tables.names());
                Map<String, Long> uploaded = new UploadBuilder(dialect, tables, pending).write(c, header, body, upload, listener);
                // The marks must outlive a crash once the upload may reach the server (issue 10, defect 17).
                dialect.commitDurably(c);
                uploaded.forEach((t, n) -> counts.computeIfPresent(t, (k, v) -> v.plusUploaded(n)));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            DownloadApplier applier = new DownloadApplier(c, dialect, tables, pending, state, upload, mode == SyncMode.DOWNLOAD_ONLY,
                    listener, counts);
            HttpTransport http = transport(state);
            try {
                http.sync(body, applier);
            } catch (RuntimeException e) {
                applier.abort();
                if (upload && e instanceof FerryException fe && fe.code() == ErrorCode.PROGRESS_MISMATCH) {
                    // Refused before anything was applied, by a server at another counter: forget the marks, or the
                    // next sync would ask about "upload progress + 1" and be told the server's own upload of that
                    // number (another copy's) was this one.
                    pending.settleNotApplied(c);
                    RemoteState.update(c, "pending_upload = NULL");
                    c.commit();
                }
                throw e;
            }
            if (applier.lastDownload() >= 0) {
                try {
                    http.ack(state.remoteId(), applier.lastDownload());
                } catch (FerryException e) {
                    // The remote already stores its position; the server learns it at the next sync.
                    LOG.debug("download acknowledgement for {} not delivered: {}", state.remoteId(), e.getMessage());
                }
            }
            return new Exchange(applier);
        } finally {
            Files.deleteIfExists(body);
        }
    }

    /** True when a synchronized table has a row: a remote without a download position then needs recorded deletes too. */
    private boolean holdsRows(RemoteTables tables) throws SQLException {
        for (TableDef t : tables.tables()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM " + dialect.quote(t.name()) + " LIMIT 1")) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Starts this remote over against the server, for the way out of a {@code PROGRESS_MISMATCH} (a
     * restored backup, say) or a move to another consolidated database: the progress counter goes back
     * to 0 and the download position is forgotten, so the next sync makes the server forget what it knew
     * of this remote id, uploads every local change still pending (compared with the server's rows like
     * any upload, so conflicts are resolved and logged, not lost) and downloads every row and every
     * recorded delete. Rows in {@code error} stay as they are. Nothing is sent now.
     *
     * @param serverUrl the server to sync with from now on, or null to keep the current one; a new
     *                  server also forgets the consolidated identity the remote had pinned
     * @return how many local changes (pending rows and rows in error) were kept
     */
    public long reset(String serverUrl) {
        try (RemoteSyncLock lock = RemoteSyncLock.acquire(url)) {
            RemoteTables tables = RemoteTables.load(c);
            new PendingRows(dialect, tables).settleNotApplied(c);
            RemoteState.update(c, "progress = 0, pending_upload = NULL, last_download = 0, last_download_time = NULL, last_upload_time = NULL");
            if (serverUrl != null) {
                RemoteState.update(c, "server_url = ?, consolidated_id = NULL", serverUrl);
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

    private void rollbackQuietly() {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone either way
        }
    }

    private SyncResult result(Map<String, TableCounts> counts, RemoteState state, Exchange ex) {
        int retries = ex.applier().outcome() == null ? 0 : ex.applier().outcome().retries();
        return new SyncResult(new ArrayList<>(counts.values()), state.progress(), state.lastDownload(), retries, false);
    }

    private HttpTransport transport(RemoteState state) {
        String password = System.getenv("FERRY_PASSWORD") != null ? System.getenv("FERRY_PASSWORD") : state.password();
        return new HttpTransport(state.serverUrl(), state.user(), password == null ? "" : password, transportSettings());
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

    /** Sync position and row counts per state. */
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
            c.commit();
            return new RemoteStatus(s.remoteId(), s.serverUrl(), s.user(), s.consolidatedId(), s.progress(), s.pendingUpload(), s.lastDownload(),
                    s.lastDownloadTime(), s.lastUploadTime(), byState);
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
