package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the real CLI as a user would: {@code java -jar ferry.jar ARGS} in a new JVM, so every timed
 * sync includes JVM start. Output goes to a log file per command under the work directory; a
 * non-zero exit is a {@link BenchFailure} carrying the CLI's {@code error:} line.
 */
final class FerryCommands {
    private static final Duration TIMEOUT = Duration.ofHours(2);

    private final Path jar;
    private final Path logs;
    private final AtomicInteger seq = new AtomicInteger();

    FerryCommands(Path jar, Path logs) {
        this.jar = jar;
        this.logs = logs;
    }

    Path jar() {
        return jar;
    }

    /** Runs one command and returns its wall time (process start to exit). */
    Duration run(String... args) {
        Path log = logs.resolve(String.format("cli-%03d-%s.log", seq.incrementAndGet(), name(args).replace(' ', '-')));
        List<String> cmd = new ArrayList<>(List.of(Java.binary(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        try {
            Process p = pb.start();
            Processes.track(p);
            try {
                if (!p.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                    throw new BenchFailure("`ferry " + name(args) + "` did not finish within " + TIMEOUT.toMinutes() + " min");
                }
            } finally {
                Processes.stop(p); // nothing to do unless the wait failed
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (p.exitValue() != 0) {
                throw new BenchFailure("`ferry " + name(args) + "` exited " + p.exitValue() + ": "
                        + errorLine(log) + " (log " + log + ")");
            }
            return took;
        } catch (IOException e) {
            throw new BenchFailure("could not start " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    /** The command's name only: its arguments may hold the password. */
    private static String name(String... args) {
        return args[0] + (args.length > 1 ? " " + args[1] : "");
    }

    /** The CLI's {@code error: CODE: message} line, else the log's last line. */
    static String errorLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (String l : lines) {
                if (l.startsWith("error: ")) {
                    return l.substring("error: ".length());
                }
            }
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
