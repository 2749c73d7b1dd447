package dev.ferry.server.conflict;

import java.sql.Connection;

/** The default: the change that reached the consolidated database first stands. */
final class ServerWins implements ConflictPolicy {
    static final String NAME = "server-wins";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Decision decide(Conflict conflict, Connection c) {
        return Decision.of(Resolution.keepServer(), "the change synchronized first stands");
    }
}
