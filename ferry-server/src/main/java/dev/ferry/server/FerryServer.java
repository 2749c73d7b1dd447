package dev.ferry.server;

import dev.ferry.core.schema.SchemaReading;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.Provisioner;
import dev.ferry.server.consolidated.SchemaCheck;
import dev.ferry.server.consolidated.Tracking;
import dev.ferry.server.http.HttpApi;
import dev.ferry.server.keys.KeyRanges;
import dev.ferry.server.registration.RemoteRegistry;
import dev.ferry.server.session.SyncService;
import dev.ferry.server.tls.Listener;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sync server: connects to the consolidated database, migrates Ferry's system tables,
 * provisions change tracking and serves HTTPS (or plain HTTP when configured: {@link Listener}). Several can run on one consolidated database; they
 * share nothing but that database. Close to stop.
 */
public final class FerryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FerryServer.class);

    private final ConsolidatedDatabase db;
    private final SyncService service;
    private final Javalin http;
    private final String scheme;

    private FerryServer(ConsolidatedDatabase db, SyncService service, Javalin http, String scheme) {
        this.db = db;
        this.service = service;
        this.http = http;
        this.scheme = scheme;
    }

    public static FerryServer start(ServerConfig config) {
        Listener listener = Listener.of(config);
        // The schema is judged before Ferry creates its tables: a refused start leaves the database as it was.
        ConsolidatedDatabase db = ConsolidatedDatabase.open(config, (c, dialect) -> {
            SchemaReading reading = SchemaCheck.read(c, dialect, config.tables(), config.columns());
            SchemaCheck.refuseStart(reading, config.tables());
            KeyRanges.check(c, dialect, reading.tables(), config.keyRanges());
        });
        try {
            Tracking tracking = new Provisioner(db).provision(config.tables(), config.columns());
            SyncService service = new SyncService(db, tracking, config);
            Javalin http = new HttpApi(service, new RemoteRegistry(db, service.access(), service.authenticator().credentials(), config.lockTimeout())).create(listener::install);
            http.start(config.host(), config.port());
            HttpApi.applyConnectorLimits(http, config.limits());
            LOG.info("Ferry server listening on {}://{}:{} for consolidated database {}", listener.scheme(), config.host(), http.port(), db.identity());
            return new FerryServer(db, service, http, listener.scheme());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** {@code https}, or {@code http} when configured so. */
    public String scheme() {
        return scheme;
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
