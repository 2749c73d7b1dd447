package dev.ferry.dialect.jdbc;

import dev.ferry.dialect.SqlFailure;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Classifies a {@link SQLException} by looking at every exception it carries, because drivers wrap
 * the one that matters: a {@link java.sql.BatchUpdateException} holds the statement's failure in
 * {@link SQLException#getNextException()}, MariaDB and H2 wrap server errors as causes. The
 * per-database rule sees each exception on its own and returns null when it does not recognize it.
 */
public final class SqlExceptionChain {
    private SqlExceptionChain() {
    }

    /** The exception, its next-exception chain, then the SQL exceptions among the causes of each; every one once. */
    public static List<SQLException> of(SQLException e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<SQLException> out = new ArrayList<>();
        collect(e, seen, out);
        return out;
    }

    private static void collect(SQLException e, Set<Throwable> seen, List<SQLException> out) {
        for (SQLException x = e; x != null && seen.add(x); x = x.getNextException()) {
            out.add(x);
            for (Throwable cause = x.getCause(); cause != null && cause != x; cause = cause.getCause()) {
                if (cause instanceof SQLException sql) {
                    collect(sql, seen, out);
                    break;
                }
                if (!seen.add(cause)) {
                    break;
                }
            }
        }
    }

    /** The first non-fatal classification along the chain, else {@link SqlFailure#fatal()}. */
    public static SqlFailure classify(SQLException e, Function<SQLException, SqlFailure> rule) {
        for (SQLException x : of(e)) {
            SqlFailure f = rule.apply(x);
            if (f != null && f.kind() != SqlFailure.Kind.FATAL) {
                return f;
            }
        }
        return SqlFailure.fatal();
    }
}
