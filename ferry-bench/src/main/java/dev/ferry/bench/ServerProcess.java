package dev.ferry.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real server as its own JVM, {@code java -Xmx256m -jar ferry.jar server}, plain HTTP on
 * 127.0.0.1 and a port the bench picked free itself (so nothing is parsed from its output). Ready
 * once the port accepts connections (the server binds only after provisioning). {@link #close()} stops
 * it with SIGTERM (its shutdown hook closes the pool), forcibly after 30 s.
 */
final class ServerProcess implements AutoCloseable {
    static final String HEAP = "-Xmx256m";
    private static final Duration READY = Duration.ofMinutes(10);

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a server on {@code consolidatedUrl} with its working directory and log in {@code dir};
     * {@code env} adds configuration through the environment (e.g. FERRY_LIMITS_ROWS_PER_UPLOAD).
     */
    static ServerProcess start(Path jar, String consolidatedUrl, Path dir, Map<String, String> env) {
        int port = freePort();
        Path log = dir.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(Java.binary(), HEAP, "-jar", jar.toString(), "server",
                "--consolidated", consolidatedUrl, "--port", Integer.toString(port), "--host", "127.0.0.1", "--plain-http"))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p;
        try {
            Files.createDirectories(dir);
            p = pb.start();
        } catch (IOException e) {
            throw new BenchFailure("could not start the server: " + e.getMessage(), e);
        }
        ServerProcess server = new ServerProcess(p, port, log);
        Processes.track(p);
        server.awaitReady();
        return server;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new BenchFailure("the server exited " + process.exitValue() + " at start: " + FerryCommands.errorLine(log) + " (log " + log + ")");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        close();
        throw new BenchFailure("the server did not listen on port " + port + " within " + READY.toMinutes() + " min (log " + log + ")");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new BenchFailure("no free port: " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
