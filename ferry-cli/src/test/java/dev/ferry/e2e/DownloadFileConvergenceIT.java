package dev.ferry.e2e;

import dev.ferry.client.RemoteDatabase;
import dev.ferry.client.SyncListener;
import dev.ferry.client.SyncMode;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.FerryServer;
import dev.ferry.server.download.DownloadFileCreator;
import dev.ferry.testkit.TestDatabases;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6's promise as a property: after any mix of consolidated changes, local changes, syncs of
 * every kind, download files made for any group (or full) and applied in any order to any remote,
 * every refusal leaves the remote exactly as it was, no applied file overwrites a pending local
 * change, and ordinary syncs afterwards make every remote equal to the consolidated database with
 * nothing pending. H2 consolidated (in-process), two SQLite remotes.
 */
class DownloadFileConvergenceIT {
    private static final int REMOTES = 2;
    private static final String[] IDS = {"site-0", "site-1"};

    /** Each pending row's state and its current local value (NULL when deleted locally). */
    private static final String PENDING_ROWS = "SELECT p.pk, p.state, i.\"v\" FROM ferry_pending p LEFT JOIN \"item\" i"
            + " ON p.pk = json_array(i.\"id\") ORDER BY p.pk";

    sealed interface Step permits ServerWrite, LocalWrite, Sync, MakeFile, ApplyFile, FileTrip {
    }

    /** {@code value} null deletes the row. */
    record ServerWrite(int key, Integer value) implements Step {
    }

    record LocalWrite(int remote, int key, Integer value) implements Step {
    }

    record Sync(int remote, SyncMode mode) implements Step {
    }

    record MakeFile(Set<Integer> remotes, boolean full) implements Step {
    }

    /** Applies a file made so far: the newest when {@code back} is 0, the one before when 1... */
    record ApplyFile(int remote, int back) implements Step {
    }

    /**
     * The common case, made likely: the consolidated side changes, a file is made, the site changes
     * some rows meanwhile, and the file is applied there.
     */
    record FileTrip(List<ServerWrite> changes, MakeFile file, List<LocalWrite> meanwhile, int site) implements Step {
    }

    @Property(tries = 15)
    void anyMixOfFilesSyncsAndRefusalsConvergesWithNothingLost(@ForAll("scenarios") List<Step> steps) throws Exception {
        Path dir = Files.createTempDirectory("ferry-prop-");
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.h2());
        cons.jdbc("CREATE TABLE \"item\" (\"id\" INTEGER PRIMARY KEY, \"v\" INTEGER NOT NULL)");
        cons.jdbc("INSERT INTO \"item\" VALUES (1, 1), (2, 2)");
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            FerryServer server = ferry.server;
            DownloadFileCreator creator = new DownloadFileCreator(server.database(), server.service().tracking());
            List<Path> remotes = new ArrayList<>();
            for (int i = 0; i < REMOTES; i++) {
                Path db = dir.resolve(IDS[i] + ".db");
                try (RemoteDatabase r = RemoteDatabase.create(db.toString(), ferry.url, IDS[i], RunningFerry.USER, RunningFerry.PASSWORD)) {
                    r.sync();
                }
                remotes.add(db);
            }
            List<Path> files = new ArrayList<>();
            for (Step step : steps) {
                run(step, cons, creator, remotes, files, dir);
            }
            for (int round = 0; round < 2; round++) {
                for (Path r : remotes) {
                    try (RemoteDatabase db = RemoteDatabase.open(r.toString())) {
                        db.sync();
                    }
                }
            }
            List<List<String>> expected = cons.query("SELECT \"id\", \"v\" FROM \"item\" ORDER BY \"id\"");
            for (Path r : remotes) {
                assertThat(query(r, "SELECT \"id\", \"v\" FROM \"item\" ORDER BY \"id\"")).as(r + " after " + steps).isEqualTo(expected);
                assertThat(query(r, "SELECT tbl, pk, state FROM ferry_pending")).as(r + " has nothing pending").isEmpty();
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Step step, ConsolidatedFixture cons, DownloadFileCreator creator, List<Path> remotes, List<Path> files, Path dir)
            throws Exception {
        if (step instanceof ServerWrite w) {
            if (w.value() == null) {
                cons.jdbc("DELETE FROM \"item\" WHERE \"id\" = " + w.key());
            } else {
                cons.jdbc("MERGE INTO \"item\" KEY (\"id\") VALUES (" + w.key() + ", " + w.value() + ")");
            }
        } else if (step instanceof LocalWrite w) {
            write(remotes.get(w.remote()), w.key(), w.value());
        } else if (step instanceof Sync s) {
            try (RemoteDatabase db = RemoteDatabase.open(remotes.get(s.remote()).toString())) {
                db.sync(s.mode(), SyncListener.NONE);
            }
        } else if (step instanceof MakeFile m) {
            Path f = dir.resolve("f" + files.size() + ".fdl");
            List<String> ids = m.remotes().stream().sorted().map(i -> IDS[i]).toList();
            try {
                creator.create(ids, m.full(), f, null);
                files.add(f);
                Statistics.label("file").collect(m.full() ? "full" : "changes");
            } catch (FerryException e) {
                assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.USAGE);
                assertThat(f).doesNotExist();
                Statistics.label("file").collect("refused: " + (ids.isEmpty() ? "no remote" : "never synced"));
            }
        } else if (step instanceof FileTrip trip) {
            for (ServerWrite w : trip.changes()) {
                run(w, cons, creator, remotes, files, dir);
            }
            int made = files.size();
            run(trip.file(), cons, creator, remotes, files, dir);
            for (LocalWrite w : trip.meanwhile()) {
                run(new LocalWrite(trip.site(), w.key(), w.value()), cons, creator, remotes, files, dir);
            }
            if (files.size() > made) {
                run(new ApplyFile(trip.site(), 0), cons, creator, remotes, files, dir);
            }
        } else if (step instanceof ApplyFile a) {
            if (files.isEmpty()) {
                return;
            }
            Path remote = remotes.get(a.remote());
            Path file = files.get(Math.max(0, files.size() - 1 - a.back()));
            List<List<String>> before = snapshot(remote);
            List<List<String>> pendingBefore = query(remote, PENDING_ROWS);
            try (RemoteDatabase db = RemoteDatabase.open(remote.toString())) {
                db.applyDownloadFile(file, null, SyncListener.NONE);
                Statistics.label("apply").collect("applied");
                assertThat(query(remote, PENDING_ROWS)).as("an applied file leaves every local change pending, values and all")
                        .isEqualTo(pendingBefore);
            } catch (FerryException e) {
                assertThat(e.code().name()).as(e.getMessage()).startsWith("DOWNLOAD_FILE_");
                assertThat(snapshot(remote)).as("refused (" + e.code() + "): nothing changed").isEqualTo(before);
                Statistics.label("apply").collect(e.code().name());
            }
        }
    }

    @Provide
    Arbitrary<List<Step>> scenarios() {
        Arbitrary<Integer> key = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> value = Arbitraries.integers().between(0, 99).injectNull(0.25);
        Arbitrary<Integer> remote = Arbitraries.integers().between(0, REMOTES - 1);
        Arbitrary<Step> serverWrite = Combinators.combine(key, value).as(ServerWrite::new);
        Arbitrary<Step> localWrite = Combinators.combine(remote, key, value).as(LocalWrite::new);
        Arbitrary<Step> sync = Combinators.combine(remote, Arbitraries.of(SyncMode.class)).as(Sync::new);
        Arbitrary<Step> makeFile = Arbitraries.oneOf(
                Arbitraries.subsetOf(0, 1).map(group -> new MakeFile(group, true)),
                Arbitraries.subsetOf(0, 1).ofMinSize(1).map(group -> new MakeFile(group, false)));
        Arbitrary<Step> applyFile = Combinators.combine(remote, Arbitraries.of(0, 0, 0, 1, 2)).as(ApplyFile::new);
        Arbitrary<Step> trip = Combinators.combine(serverWrite.map(ServerWrite.class::cast).list().ofMinSize(1).ofMaxSize(3),
                makeFile.map(MakeFile.class::cast), localWrite.map(LocalWrite.class::cast).list().ofMaxSize(2), remote).as(FileTrip::new);
        return Arbitraries.frequencyOf(Tuple.of(4, trip),
                Tuple.of(3, serverWrite), Tuple.of(3, localWrite), Tuple.of(2, sync),
                Tuple.of(2, makeFile), Tuple.of(4, applyFile)).list().ofMinSize(10).ofMaxSize(30);
    }

    private static void write(Path remote, int key, Integer value) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + remote)) {
            if (value == null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM \"item\" WHERE \"id\" = ?")) {
                    ps.setInt(1, key);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO \"item\" (\"id\", \"v\") VALUES (?, ?) ON CONFLICT (\"id\") DO UPDATE SET \"v\" = excluded.\"v\"")) {
                    ps.setInt(1, key);
                    ps.setInt(2, value);
                    ps.executeUpdate();
                }
            }
        }
    }

    private static List<List<String>> snapshot(Path remote) throws SQLException {
        List<List<String>> all = new ArrayList<>(query(remote, "SELECT * FROM \"item\" ORDER BY 1"));
        all.addAll(query(remote, "SELECT * FROM ferry_state"));
        all.addAll(query(remote, "SELECT * FROM ferry_pending ORDER BY tbl, pk"));
        return all;
    }

    private static List<List<String>> query(Path remote, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + remote); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            return ResultRows.read(rs);
        }
    }
}
