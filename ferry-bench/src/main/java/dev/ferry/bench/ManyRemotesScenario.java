package dev.ferry.bench;

import dev.ferry.client.RemoteDatabase;
import dev.ferry.core.error.FerryException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * many-remotes: R SQLite remotes, registered and synced once beforehand (not timed), each then
 * inserts a small delta and syncs through the client's Java API ({@code RemoteDatabase.open(...).sync()}),
 * C at a time from threads of this JVM against the one server JVM. Reports throughput, p50/p99 latency
 * and failures by error code. There is no meaningful baseline.
 */
final class ManyRemotesScenario {
    static final String NAME = "many-remotes";
    static final Target TARGET = Target.described("0 failed, p99 < 1 s, >= 500 syncs/s");
    private static final int SETUP_THREADS = 4;

    private ManyRemotesScenario() {
    }

    static void run(Bench bench, ConsolidatedKind kind, RowGroup rows) {
        rows.expect(NAME, TARGET);
        Sizes s = bench.sizes();
        try (Fixture f = Fixture.start(bench, kind, "many", 0, Map.of())) {
            Path dir = bench.dir("many-remotes");
            Bench.log(NAME + " " + kind.label() + ": registering " + s.remotes() + " remotes (not timed)");
            List<Path> remotes = new ArrayList<>();
            for (int i = 0; i < s.remotes(); i++) {
                remotes.add(dir.resolve("m" + i + ".db"));
            }
            ExecutorService setup = Executors.newFixedThreadPool(SETUP_THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < remotes.size(); i++) {
                    int n = i;
                    done.add(setup.submit(() -> {
                        try (RemoteDatabase r = RemoteDatabase.create(remotes.get(n).toString(), f.serverUrl(), "many-" + n, Fixture.USER,
                                Fixture.PASSWORD)) {
                            r.sync();
                        }
                        try (Connection c = DriverManager.getConnection(Fixture.sqliteUrl(remotes.get(n)))) {
                            Items.insertRemote(c, 1 + (long) n * s.deltaRows(), s.deltaRows(), 0);
                        }
                        return null;
                    }));
                }
                for (Future<?> d : done) {
                    d.get();
                }
            } finally {
                setup.shutdownNow();
            }

            Bench.log(NAME + " " + kind.label() + ": " + s.remotes() + " syncs of " + s.deltaRows() + " rows each, " + s.concurrency() + " at a time");
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(s.concurrency());
            f.probe().begin();
            long t0 = System.nanoTime();
            try {
                for (Path remote : remotes) {
                    pool.execute(() -> {
                        long start = System.nanoTime();
                        try (RemoteDatabase r = RemoteDatabase.open(remote.toString())) {
                            r.sync();
                        } catch (RuntimeException e) {
                            String code = e instanceof FerryException fe ? fe.code().name() : e.getClass().getSimpleName();
                            if (failures.computeIfAbsent(code, x -> new AtomicInteger()).incrementAndGet() == 1) {
                                Bench.log(NAME + ": first " + code + ": " + RowGroup.reason(e)); // the table has room for counts only
                            }
                        }
                        latencies.add(System.nanoTime() - start);
                    });
                }
            } finally {
                pool.shutdown();
            }
            if (!pool.awaitTermination(2, TimeUnit.HOURS)) {
                pool.shutdownNow();
                throw new BenchFailure("the syncs did not finish within 2 hours");
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - t0);
            ServerMemory memory = f.probe().end();
            int failed = failures.values().stream().mapToInt(AtomicInteger::get).sum();
            if (failed == 0) {
                try (Connection c = f.db().connect()) {
                    Items.expect(c, "the consolidated database", "", (long) s.remotes() * s.deltaRows());
                }
            }
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            Duration p50 = Duration.ofNanos(percentile(sorted, 0.50));
            Duration p99 = Duration.ofNanos(percentile(sorted, 0.99));
            double perSecond = s.remotes() / (wall.toNanos() / 1e9);
            boolean met = failed == 0 && p99.compareTo(Duration.ofSeconds(1)) < 0 && perSecond >= 500;
            String note = String.format(Locale.ROOT, "%d remotes x %d rows, %d at a time: p50 %s, p99 %s, failed %d%s", s.remotes(), s.deltaRows(),
                    s.concurrency(), ResultTable.duration(p50), ResultTable.duration(p99), failed, failed == 0 ? "" : " " + failures);
            rows.add(new Result(NAME, kind.label(), wall, null, null, null, TARGET, met, s.remotes(), "syncs/s", memory, note, null));
        } catch (Exception e) {
            rows.failRemaining(e);
        }
    }

    /** The nearest-rank percentile of sorted values (0 when empty). */
    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
