package dev.ferry.server.conflict;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The version whose timestamp column is later wins; a tie keeps the server's row (the first synced
 * change stands). A delete carries no timestamp, so between an update and a delete the update wins
 * whichever side made it: data is kept rather than removed on a guess, and the log keeps the
 * deleted version.
 */
final class NewerWins implements ConflictPolicy {
    static final String NAME = "newer-wins";
    static final Set<FerryType> ORDERED = EnumSet.of(FerryType.SMALLINT, FerryType.INTEGER, FerryType.BIGINT, FerryType.DECIMAL,
            FerryType.REAL, FerryType.DOUBLE, FerryType.DATE, FerryType.TIMESTAMP, FerryType.TIMESTAMPTZ);

    private final ColumnDef column;

    NewerWins(ColumnDef column) {
        this.column = column;
    }

    @Override
    public List<ColumnDef> columnsCompared() {
        return List.of(column);
    }

    @Override
    public String name() {
        return NAME + "(" + column.name() + ")";
    }

    @Override
    public Decision decide(Conflict conflict, Connection c) {
        if (conflict.remoteImage() == null) {
            return Decision.of(Resolution.keepServer(), "a delete has no " + column.name() + ": the server's update is kept");
        }
        if (conflict.serverImage() == null) {
            return Decision.of(Resolution.takeRemote(), "a delete has no " + column.name() + ": the remote's update is kept");
        }
        Object remote = conflict.remoteImage().get(column.name());
        Object server = conflict.serverImage().get(column.name());
        String detail = column.name() + ": remote " + remote + ", server " + server;
        return compare(remote, server) > 0
                ? Decision.of(Resolution.takeRemote(), detail + " (remote newer)")
                : Decision.of(Resolution.keepServer(), detail + " (server not older)");
    }

    /** Null sorts first: a row that never had the timestamp set is older than any that has it. */
    private int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return switch (column.type()) {
            case SMALLINT, INTEGER, BIGINT -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
            case DECIMAL -> ((BigDecimal) a).compareTo((BigDecimal) b);
            case REAL, DOUBLE -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
            case TIMESTAMPTZ -> ((OffsetDateTime) a).toInstant().compareTo(((OffsetDateTime) b).toInstant());
            default -> compareSameType(a, b);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareSameType(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }
}
