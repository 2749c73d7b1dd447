package dev.ferry.server;

import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.Provisioner;
import dev.ferry.server.consolidated.Tracking;
import dev.ferry.server.auth.RemoteAccess;
import dev.ferry.server.http.HttpApi;
import dev.ferry.server.registration.RemoteRegistry;
import dev.ferry.server.session.SyncService;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sync server: connects to the consolidated database, migrates Ferry's system tables,
 * provisions change tracking and serves HTTP. Several can run on one consolidated database; they
 * share nothing but that database. Close to stop.
 */
public final class FerryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FerryServer.class);

    private final ConsolidatedDatabase db;
    private final SyncService service;
    private final Javalin http;

    private FerryServer(ConsolidatedDatabase db, SyncService service, Javalin http) {
        this.db = db;
        this.service = service;
        this.http = http;
    }

    public static FerryServer start(ServerConfig config) {
        ConsolidatedDatabase db = ConsolidatedDatabase.open(config);
        try {
            Tracking tracking = new Provisioner(db).provision(config.tables());
            SyncService service = new SyncService(db, tracking, config);
            Javalin http = new HttpApi(service, new RemoteRegistry(db, new RemoteAccess(db), config.lockTimeout())).create();
            http.start(config.host(), config.port());
            HttpApi.applyConnectorLimits(http, config.limits());
            LOG.info("Ferry server listening on {}:{} for consolidated database {}", config.host(), http.port(), db.identity());
            return new FerryServer(db, service, http);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public SyncService service() {
        return service;
    }

    public ConsolidatedDatabase database() {
        return db;
    }

    @Override
    public void close() {
        http.stop();
        db.close();
    }
}
