package dev.ferry.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The server JVMs the bench started, so an interrupted run (Ctrl-C, a crash) still stops them from a
 * shutdown hook; only processes started here are ever stopped, each by its own handle.
 */
final class Processes {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Processes::stop), "bench-stop-servers"));
    }

    private Processes() {
    }

    static void track(Process p) {
        RUNNING.add(p);
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    static void stop(Process p) {
        RUNNING.remove(p);
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
