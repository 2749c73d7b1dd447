package dev.ferry.cli;

import dev.ferry.server.FerryServer;
import dev.ferry.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ferry server}: runs a sync server until interrupted. */
@Command(name = "server", description = "Run a sync server (default: embedded H2 under ./ferry-data, port " + ServerConfig.DEFAULT_PORT + ").")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", description = "YAML configuration file")
    Path config;

    @Option(names = "--consolidated", description = "JDBC URL of the consolidated database")
    String consolidated;

    @Option(names = "--port", description = "HTTP port (0 = any free port)")
    Integer port;

    @Option(names = "--host", description = "listen address (default 0.0.0.0, every interface)")
    String host;

    @Option(names = "--plain-http", description = "serve plain HTTP without TLS (server.plainHttp; warned about unless --host is loopback)")
    boolean plainHttp;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>();
        if (consolidated != null) {
            flags.put(ServerConfig.CONSOLIDATED_URL.key(), consolidated);
        }
        if (port != null) {
            flags.put(ServerConfig.PORT.key(), port.toString());
        }
        if (host != null) {
            flags.put(ServerConfig.HOST.key(), host);
        }
        if (plainHttp) {
            flags.put(ServerConfig.PLAIN_HTTP.key(), "true");
        }
        ServerConfig cfg = ServerConfig.load(config, System.getenv(), flags);
        FerryServer server = FerryServer.start(cfg);
        System.out.println("Ferry server listening on port " + server.port() + " (" + server.scheme() + ", consolidated database "
                + server.database().identity() + ")");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "ferry-shutdown"));
        stopped.await();
        return 0;
    }
}
