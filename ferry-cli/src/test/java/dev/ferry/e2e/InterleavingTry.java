package dev.ferry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.client.RemoteDatabase;
import dev.ferry.client.SyncListener;
import dev.ferry.client.SyncMode;
import dev.ferry.client.SyncResult;
import dev.ferry.e2e.InterleavingStep.AppWritesDuring;
import dev.ferry.e2e.InterleavingStep.Crash;
import dev.ferry.e2e.InterleavingStep.Fault;
import dev.ferry.e2e.InterleavingStep.Interruption;
import dev.ferry.e2e.InterleavingStep.Moment;
import dev.ferry.e2e.InterleavingStep.ServerWritesDuring;
import dev.ferry.e2e.InterleavingStep.Sync;
import dev.ferry.e2e.SyncGuaranteeModel.AuditEntry;
import dev.ferry.e2e.SyncGuaranteeModel.ConflictEntry;
import dev.ferry.e2e.SyncGuaranteeModel.Pending;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One try of {@link SyncInterleavingProperty}: fresh remotes (one per kind) against the property's
 * server, reached through the property's {@link FaultyProxy}; runs the steps, then the heal phase
 * (everyone syncs, applications fix their rejected rows, until nothing moves), then the checks. Every
 * sync is observed through the client's public {@link SyncListener}: at phase "upload" the rows about
 * to be sent are read, and the consolidated database is read before and after every write another
 * application makes, so each consolidated change is attributed to whoever made it.
 */
final class InterleavingTry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HEAL_ROUNDS = 6;
    /** Far enough into an answer for the upload's results to arrive, not far enough for its download. */
    private static final long ANSWER_CUT_BYTES = 300;

    private final Connection consolidated;
    private final PlainRowWriter serverWriter;
    private final FaultyProxy proxy;
    private final Path dir;
    private final List<Remote> remotes = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private SyncGuaranteeModel model;
    private long auditSeen;
    private long conflictSeen;
    private int step;

    /** A remote under test, its Ferry handle (re-opened after a crash) and its application's plain connection. */
    /** The last {@code ferry_remote.progress} seen per remote id. */
    private final Map<String, Long> progressSeen = new HashMap<>();

    private static final class Remote {
        final int index;
        final String id;
        final String path;
        final PlainRowWriter writer;
        RemoteDatabase db;
        Connection app;
        RowKey lastWritten;

        Remote(int index, String id, String kind, String path) {
            this.index = index;
            this.id = id;
            this.path = path;
            this.writer = new PlainRowWriter(kind);
        }

        String name() {
            return "R" + index;
        }
    }

    /** Thrown from the listener: the client dies at that moment. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(Moment at) {
            super("simulated client crash at " + at);
        }
    }

    InterleavingTry(ConsolidatedFixture cons, FaultyProxy proxy) throws SQLException, IOException {
        this.consolidated = cons.db.connect();
        this.serverWriter = new PlainRowWriter(cons.kind());
        this.proxy = proxy;
        this.dir = Files.createTempDirectory("ferry-interleaving-");
    }

    /** Creates and first-syncs one remote per kind, named {@code <name>-<kind>}. */
    void start(String name, List<String> kinds) throws SQLException {
        auditSeen = maxOf("SELECT MAX(seq) FROM write_log");
        conflictSeen = maxOf("SELECT MAX(id) FROM ferry_conflict");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            String kind = kinds.get(i);
            String id = name + "-" + kind;
            String file = dir.resolve(id + (kind.equals("h2") ? ".mv.db" : ".db")).toString();
            Remote r = new Remote(i, id, kind, file);
            r.db = RemoteDatabase.create(file, proxy.url(), id, RunningFerry.USER, RunningFerry.PASSWORD);
            r.app = DriverManager.getConnection(r.db.jdbcUrl());
            remotes.add(r);
            ids.add(id);
        }
        model = new SyncGuaranteeModel(ids, consolidatedRows());
        trace.add("-- start: R0 to R" + (kinds.size() - 1) + " are " + String.join(", ", kinds) + " remotes; everyone's first sync");
        for (Remote r : remotes) {
            SyncResult res = sync(new Sync(r.index, SyncMode.FULL, Fault.NONE, null));
            if (res == null) {
                fail(r.name() + "'s first sync failed");
            }
        }
    }

    void run(List<InterleavingStep> steps) throws SQLException {
        trace.add("-- steps");
        for (InterleavingStep s : steps) {
            step++;
            if (s instanceof InterleavingStep.AppWrite w) {
                Remote r = remotes.get(w.remote());
                appWrite(r, w.write());
                model.settled(r.index, pending(r), false);
            } else if (s instanceof InterleavingStep.ServerWrite w) {
                serverWrite(w.write(), null);
            } else {
                sync((Sync) s);
            }
        }
    }

    /**
     * Everyone syncs (full, no faults), in order, until a round leaves nothing to do; after each round
     * the applications fix their rows in state error the way an application does: a row the server
     * rejected (or a kept row the server deleted, {@code ROW_DELETE_BLOCKED}) gets a valid value; an
     * order whose customer is gone locally is deleted. Rows in error that are not there locally (a
     * refused delete) cannot be fixed this way and stay, failing the pending check; rows whose download
     * the remote's foreign keys refused ({@code ROW_DOWNLOAD_BLOCKED}) are left to the syncs to heal. A round leaves nothing to do when nobody needs a fix, no sync rejected a row or
     * had a download row refused, and nobody but the first remote uploaded anything: the first one got
     * everything else, and the others got its changes. Every sync here must succeed: a remote that
     * cannot sync is wedged.
     */
    void heal() throws SQLException {
        for (int round = 1; round <= HEAL_ROUNDS; round++) {
            step++;
            trace.add("-- heal round " + round);
            boolean settled = true;
            for (Remote r : remotes) {
                SyncResult res = sync(new Sync(r.index, SyncMode.FULL, Fault.NONE, null));
                if (res == null) {
                    fail("wedged: " + r.name() + " cannot sync in the heal phase");
                }
                settled &= res.errors() == 0 && (r.index == 0 || res.uploaded() == 0 && res.conflicts() == 0);
            }
            int fixes = 0;
            for (Remote r : remotes) {
                fixes += fixErrorRows(r);
            }
            if (settled && fixes == 0) {
                return;
            }
        }
        fail("the remotes did not settle in " + HEAL_ROUNDS + " heal rounds");
    }

    /** The end state: nothing acknowledged lost, nothing left pending anywhere, every remote equal to the consolidated database. */
    void check() throws SQLException {
        observe(null);
        try {
            model.checkNothingAcknowledgedLost();
        } catch (AssertionError e) {
            fail(e.getMessage());
        }
        Map<RowKey, List<String>> expected = new TreeMap<>(model.consolidated());
        for (Remote r : remotes) {
            Map<RowKey, Pending> pending = pending(r);
            if (!pending.isEmpty()) {
                fail("wedged: after everyone synced, " + r.name() + " still has rows it cannot get rid of: " + pending);
            }
            Map<RowKey, List<String>> local = new TreeMap<>(rows(r));
            if (!local.equals(expected)) {
                fail(r.name() + " differs from the consolidated database after everyone synced:\n  remote       " + local + "\n  consolidated " + expected);
            }
        }
    }

    // ------------------------------------------------------------------ steps

    private void appWrite(Remote r, RowWrite w) throws SQLException {
        List<RowKey> changed = r.writer.write(r.app, w, r.lastWritten);
        Map<RowKey, List<String>> local = changed.isEmpty() ? Map.of() : rows(r);
        Map<RowKey, Pending> pending = changed.isEmpty() ? Map.of() : pending(r);
        for (RowKey k : changed) {
            model.remoteWrote(r.index, step, k, local.get(k), pending.get(k));
            r.lastWritten = k;
        }
        trace.add(step + ". " + r.name() + " app: " + w + (changed.isEmpty() ? " -> no row changed" : " -> " + describe(changed, local)));
    }

    /** @param syncing the remote whose sync is running (the writes happen from its listener), or null */
    private void serverWrite(RowWrite w, Integer syncing) throws SQLException {
        observe(syncing);
        List<RowKey> changed = serverWriter.write(consolidated, w, null);
        Map<RowKey, List<String>> now = observe(null);
        for (RowKey k : changed) {
            model.serverWrote(step, k, now.get(k));
        }
        trace.add(step + ". server app: " + w + (changed.isEmpty() ? " -> no row changed" : " -> " + describe(changed, now)));
    }

    /** Runs a sync; null when it failed (its failure is allowed only if a fault was injected or the client crashed). */
    private SyncResult sync(Sync s) throws SQLException {
        Remote r = remotes.get(s.remote());
        trace.add(step + ". " + s);
        long faultsBefore = proxy.faultsInjected.get();
        arm(s.fault());
        Hooks hooks = new Hooks(r, s);
        SyncResult res = null;
        RuntimeException failure = null;
        try {
            res = r.db.sync(s.mode(), hooks);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            disarm();
        }
        boolean faultHit = s.fault().cuts() && proxy.faultsInjected.get() > faultsBefore;
        observe(r.index);
        Map<RowKey, Pending> pending = pending(r);
        if (res != null) {
            model.synced(r.index, rows(r), pending);
        }
        model.settled(r.index, pending, true);
        trace.add("   -> " + (res != null ? describe(res) : "failed: " + failure) + (hooks.fired ? " (the interruption happened)" : ""));
        Statistics.label("sync outcome").collect(res != null ? "ok" : hooks.crashed ? "client crashed" : faultHit ? "network fault" : "failed");
        if (res != null) {
            Statistics.label("rows rejected, conflicts").collect(res.errors() > 0 ? "rejected" : "-", res.conflicts() > 0 ? "conflict" : "-");
        }
        if (failure != null) {
            reopen(r);
            if (!faultHit && !hooks.crashed) {
                AssertionError e = new AssertionError(wedged(r, s, failure));
                e.initCause(failure);
                throw decorate(e);
            }
        }
        return res;
    }

    private String wedged(Remote r, Sync s, RuntimeException failure) {
        return "wedged: " + r.name() + "'s sync (" + s + ") failed although no injected fault hit it and the client did not crash: " + failure;
    }

    private void arm(Fault f) {
        switch (f) {
            case REQUEST_CUT -> proxy.cutRequestAfter(0);
            case ANSWER_LOST -> proxy.cutResponseAfter(0);
            case ANSWER_CUT -> proxy.cutResponseAfter(ANSWER_CUT_BYTES);
            case ACK_LOST -> proxy.dropRequestsStartingWith("POST /v1/sync/ack");
            case NONE -> {
            }
        }
    }

    /** A fault the sync never reached (it failed before connecting) must not hit the next sync. */
    private void disarm() {
        proxy.cutRequestAfter(-1);
        proxy.cutResponseAfter(-1);
        proxy.dropRequestsStartingWith(null);
    }

    /** The client process starts again after a crash or a failed sync. */
    private void reopen(Remote r) {
        r.db.close();
        r.db = RemoteDatabase.open(r.path);
    }

    private static String describe(SyncResult r) {
        return "ok (uploaded " + r.uploaded() + ", downloaded " + r.downloaded() + ", rejected " + r.errors() + ", conflicts " + r.conflicts()
                + (r.recoveredAcknowledgement() ? ", recovered a lost answer" : "") + ")";
    }

    private static String describe(List<RowKey> changed, Map<RowKey, List<String>> rows) {
        List<String> out = new ArrayList<>();
        for (RowKey k : changed) {
            out.add(k + (rows.get(k) == null ? " deleted" : " = " + rows.get(k)));
        }
        return String.join(", ", out);
    }

    /** What happens during one sync, through the client's public listener. */
    private final class Hooks implements SyncListener {
        private final Remote r;
        private final Sync s;
        private final Interruption interruption;
        boolean fired;
        boolean crashed;

        Hooks(Remote r, Sync s) {
            this.r = r;
            this.s = s;
            this.interruption = s.interruption();
        }

        @Override
        public void phase(String phase) {
            switch (phase) {
                case "upload" -> {
                    uploading();
                    at(Moment.BEFORE_UPLOAD);
                }
                case "apply-results" -> {
                    rejections();
                    at(Moment.APPLY_RESULTS);
                }
                case "download" -> at(Moment.BEFORE_DOWNLOAD);
                default -> {
                }
            }
        }

        @Override
        public void uploaded(String table, long rowsSoFar) {
            if (rowsSoFar == 1) {
                at(Moment.BUILDING_UPLOAD);
            }
        }

        @Override
        public void downloaded(String table, long rowsSoFar) {
            if (rowsSoFar == 1) {
                at(Moment.DURING_DOWNLOAD);
            }
        }

        private void uploading() {
            try {
                observe(r.index);
                // A probe (asking about a lost answer) and a download-only exchange carry no rows.
                boolean sends = s.mode() != SyncMode.DOWNLOAD_ONLY && pendingUpload(r) == null;
                model.uploading(r.index, pending(r), sends);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** {@code ferry_upload_error} now holds the rejections of the upload whose results are being settled. */
        private void rejections() {
            List<RowKey> keys = new ArrayList<>();
            try (PreparedStatement ps = consolidated.prepareStatement("SELECT table_name, pk FROM ferry_upload_error WHERE remote_id = ?")) {
                ps.setString(1, r.id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new RowKey(rs.getString(1), JSON.readTree(rs.getString(2)).get(0).asLong()));
                    }
                }
            } catch (SQLException | IOException e) {
                throw new IllegalStateException(e);
            }
            model.rejected(r.index, keys);
        }

        private void at(Moment m) {
            if (fired || interruption == null || interruption.at() != m) {
                return;
            }
            fired = true;
            try {
                if (interruption instanceof Crash) {
                    crashed = true;
                    if (m == Moment.BEFORE_UPLOAD || m == Moment.BUILDING_UPLOAD) {
                        model.uploadAbandoned(r.index);
                    }
                    throw new SimulatedCrash(m);
                } else if (interruption instanceof AppWritesDuring w) {
                    for (RowWrite write : w.writes()) {
                        appWrite(r, write);
                    }
                } else if (interruption instanceof ServerWritesDuring w) {
                    for (RowWrite write : w.writes()) {
                        serverWrite(write, r.index);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ------------------------------------------------------------------ heal

    private int fixErrorRows(Remote r) throws SQLException {
        Map<RowKey, List<String>> local = rows(r);
        int fixes = 0;
        for (Map.Entry<RowKey, Pending> e : pending(r).entrySet()) {
            RowKey k = e.getKey();
            List<String> row = local.get(k);
            // A downloaded row the remote's foreign keys refused is the sync's to heal, not the application's.
            if (!e.getValue().state().equals("error") || row == null || "ROW_DOWNLOAD_BLOCKED".equals(e.getValue().errorCode())) {
                continue;
            }
            int value = Integer.parseInt(row.get(2));
            int valid = value < 1 ? 1 : value + 1;
            RowWrite fix;
            if (k.table().equals(RowKey.CUSTOMER)) {
                fix = new RowWrite.PutCustomer(k.id(), row.get(1), valid, RowWrite.Via.UPDATE);
            } else if (local.containsKey(RowKey.customer(Long.parseLong(row.get(1))))) {
                fix = new RowWrite.PutOrder(k.id(), Long.parseLong(row.get(1)), valid, RowWrite.Via.UPDATE);
            } else {
                fix = new RowWrite.DeleteOrder(k.id());
            }
            appWrite(r, fix);
            fixes++;
        }
        return fixes;
    }

    // ------------------------------------------------------------------ observing

    /** Reads the consolidated database; attributes its new audit entries and conflicts to the syncing remote, if any. */
    private Map<RowKey, List<String>> observe(Integer syncing) throws SQLException {
        Map<RowKey, List<String>> now = consolidatedRows();
        List<AuditEntry> audit = new ArrayList<>();
        try (PreparedStatement ps = consolidated.prepareStatement("SELECT seq, tbl, op, id FROM write_log WHERE seq > ? ORDER BY seq")) {
            ps.setLong(1, auditSeen);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    auditSeen = rs.getLong(1);
                    audit.add(new AuditEntry(rs.getLong(1), new RowKey(rs.getString(2), rs.getLong(4)), rs.getString(3)));
                }
            }
        }
        List<ConflictEntry> conflicts = new ArrayList<>();
        try (PreparedStatement ps = consolidated.prepareStatement(
                "SELECT id, remote_id, table_name, pk, kind, outcome, remote_image FROM ferry_conflict WHERE id > ? ORDER BY id")) {
            ps.setLong(1, conflictSeen);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    conflictSeen = rs.getLong(1);
                    String table = rs.getString(3);
                    RowKey key = new RowKey(table, JSON.readTree(rs.getString(4)).get(0).asLong());
                    conflicts.add(new ConflictEntry(rs.getLong(1), rs.getString(2), key, rs.getString(5), rs.getString(6), image(table, rs.getString(7))));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        model.consolidatedNow(now);
        try {
            if (syncing != null) {
                model.syncEffects(syncing, step, audit, conflicts, uploadCommitted(remotes.get(syncing)));
            } else if (!conflicts.isEmpty()) {
                throw new AssertionError("conflicts logged while no remote synced: " + conflicts);
            }
        } catch (AssertionError e) {
            throw decorate(e);
        }
        return now;
    }

    /** Whether the server committed an upload of {@code r} since the last look: its progress counter moved. */
    private boolean uploadCommitted(Remote r) throws SQLException {
        try (PreparedStatement ps = consolidated.prepareStatement("SELECT progress FROM ferry_remote WHERE remote_id = ?")) {
            ps.setString(1, r.id);
            try (ResultSet rs = ps.executeQuery()) {
                long progress = rs.next() ? rs.getLong(1) : 0;
                Long before = progressSeen.put(r.id, progress);
                return progress > (before == null ? 0 : before);
            }
        }
    }

    private static List<String> image(String table, String json) throws IOException {
        if (json == null) {
            return null;
        }
        JsonNode node = JSON.readTree(json);
        List<String> values = new ArrayList<>();
        for (String col : RowKey.columns(table)) {
            JsonNode v = node.get(col);
            values.add(v == null || v.isNull() ? null : v.asText());
        }
        return values;
    }

    private Map<RowKey, List<String>> consolidatedRows() throws SQLException {
        return readRows(consolidated);
    }

    private Map<RowKey, List<String>> rows(Remote r) throws SQLException {
        return readRows(r.app);
    }

    /** Plain unquoted SQL, as every application writes it (an H2 remote names customer CUSTOMER, issue 13). */
    private static Map<RowKey, List<String>> readRows(Connection c) throws SQLException {
        Map<RowKey, List<String>> rows = new TreeMap<>();
        for (String table : List.of(RowKey.CUSTOMER, RowKey.ORDERS)) {
            List<String> cols = RowKey.columns(table);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + String.join(", ", cols) + " FROM " + table)) {
                while (rs.next()) {
                    rows.put(new RowKey(table, rs.getLong(1)), List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return rows;
    }

    private static Map<RowKey, Pending> pending(Remote r) throws SQLException {
        Map<RowKey, Pending> out = new TreeMap<>();
        try (Statement s = r.app.createStatement(); ResultSet rs = s.executeQuery("SELECT tbl, pk, state, change_seq, error_code FROM ferry_pending")) {
            while (rs.next()) {
                long id;
                try {
                    id = JSON.readTree(rs.getString(2)).get(0).asLong();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                out.put(new RowKey(rs.getString(1), id), new Pending(rs.getString(3), rs.getLong(4), rs.getString(5)));
            }
        }
        return out;
    }

    private static Long pendingUpload(Remote r) throws SQLException {
        try (Statement s = r.app.createStatement(); ResultSet rs = s.executeQuery("SELECT pending_upload FROM ferry_state")) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }
    }

    private long maxOf(String sql) throws SQLException {
        try (Statement s = consolidated.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------ failures

    private void fail(String message) {
        throw decorate(new AssertionError(message));
    }

    /** Adds what happened so far to a failure: the steps as run, with their outcomes, and the model's history. */
    private AssertionError decorate(AssertionError e) {
        if (e.getMessage() != null && e.getMessage().contains("\n-- what happened:")) {
            return e;
        }
        AssertionError d = new AssertionError(e.getMessage() + "\n-- what happened:\n" + String.join("\n", trace) + (model == null ? "" : "\n-- " + model.summary()), e.getCause());
        d.setStackTrace(e.getStackTrace());
        return d;
    }

    @Override
    public void close() throws Exception {
        disarm();
        for (Remote r : remotes) {
            r.db.close();
            r.app.close();
        }
        consolidated.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
