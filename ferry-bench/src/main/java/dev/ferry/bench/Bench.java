package dev.ferry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run's context: the options, a work directory (deleted at the end unless {@code --keep}), the
 * CLI runner, and every database created, so each is dropped at the end even when a scenario failed.
 */
final class Bench implements AutoCloseable {
    private final BenchOptions options;
    private final Path work;
    private final FerryCommands cli;
    private final List<BenchDatabase> databases = new ArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    private boolean closed;

    Bench(BenchOptions options) {
        this.options = options;
        try {
            this.work = Files.createTempDirectory("ferry-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.cli = new FerryCommands(options.ferryJar().toAbsolutePath(), work);
        // Ctrl-C skips main's try-with-resources: drop the databases anyway (close is idempotent).
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "bench-drop-databases"));
    }

    BenchOptions options() {
        return options;
    }

    Sizes sizes() {
        return options.sizes();
    }

    FerryCommands cli() {
        return cli;
    }

    /** A fresh directory under the work directory. */
    Path dir(String what) {
        Path d = work.resolve(what + "-" + seq.incrementAndGet());
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /** A fresh, empty database, named for this run so parallel runs never share one. */
    synchronized BenchDatabase newDatabase(ConsolidatedKind kind) throws SQLException {
        String name = "ferry_bench_" + ProcessHandle.current().pid() + "_" + seq.incrementAndGet();
        BenchDatabase db = kind.create(name, work);
        databases.add(db);
        return db;
    }

    static void log(String message) {
        System.err.println("[bench] " + message);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        databases.forEach(BenchDatabase::close);
        databases.clear();
        if (options.keep()) {
            log("kept " + work);
        } else {
            ConsolidatedKind.deleteTree(work);
        }
    }
}
