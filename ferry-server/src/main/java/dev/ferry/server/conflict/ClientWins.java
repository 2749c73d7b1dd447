package dev.ferry.server.conflict;

import java.sql.Connection;

/** The uploading remote's change replaces whatever the consolidated database has. */
final class ClientWins implements ConflictPolicy {
    static final String NAME = "client-wins";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Decision decide(Conflict conflict, Connection c) {
        return Decision.of(Resolution.takeRemote(), "the uploading remote's change replaces the server's");
    }
}
