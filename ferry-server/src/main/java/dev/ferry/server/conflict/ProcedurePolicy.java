package dev.ferry.server.conflict;

import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.SqlFailure;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A resolution written in SQL: a stored procedure on the consolidated database, called inside the
 * upload's transaction as {@code CALL proc(remote_id, table_name, kind, pk, old_image, remote_image,
 * server_image)} (all text; images are JSON objects as in the conflict log, NULL when that version does
 * not exist). The procedure writes the row as it should end up (or leaves it); Ferry then sends the
 * remote whatever the consolidated row is.
 */
final class ProcedurePolicy implements ConflictPolicy {
    static final String NAME = "procedure";

    private final ConsolidatedDialect dialect;
    private final String procedure;
    private final String call;
    private final RowImages images;

    ProcedurePolicy(ConsolidatedDialect dialect, String procedure, RowImages images) {
        this.dialect = dialect;
        this.procedure = procedure;
        this.call = "CALL " + dialect.quote(procedure) + "(?, ?, ?, ?, ?, ?, ?)";
        this.images = images;
    }

    @Override
    public String name() {
        return NAME + "(" + procedure + ")";
    }

    @Override
    public Decision decide(Conflict conflict, Connection c) throws SQLException {
        try (CallableStatement cs = c.prepareCall(call)) {
            cs.setString(1, conflict.remoteId());
            cs.setString(2, conflict.table());
            cs.setString(3, conflict.kind().text());
            cs.setString(4, images.json(conflict.key()));
            cs.setString(5, images.json(conflict.oldImage()));
            cs.setString(6, images.json(conflict.remoteImage()));
            cs.setString(7, images.json(conflict.serverImage()));
            cs.execute();
        } catch (SQLException e) {
            if (dialect.classify(e).kind() == SqlFailure.Kind.RETRY_TRANSACTION) {
                throw e;
            }
            throw new ConflictResolutionFailed("procedure " + procedure + " failed on this " + conflict.kind().text() + " conflict: "
                    + e.getMessage(), e);
        }
        return Decision.writtenByProcedure("procedure " + procedure);
    }
}
