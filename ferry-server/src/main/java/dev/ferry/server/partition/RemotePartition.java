package dev.ferry.server.partition;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.dialect.ConsolidatedDialect;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * One remote's partition: the view of its subscription and the parameter values its filters are
 * bound with, read in the transaction that uses them. Immutable.
 *
 * @param paramsPosition the change position of the last change to the remote's or its owner's
 *                       parameters (0 = never changed): a remote that downloaded before it re-evaluates
 */
public record RemotePartition(String remoteId, PartitionView view, Map<String, String> parameters, long paramsPosition) {
    public RemotePartition {
        parameters = Map.copyOf(parameters);
    }

    /**
     * Binds the filter's parameters from {@code index} on; returns the next index. A parameter set
     * neither for the remote nor its owner fails the sync (never bound as NULL, which would silently
     * share nothing).
     */
    public int bind(ConsolidatedDialect dialect, PreparedStatement ps, int index, FilterSql filter, String table) throws SQLException {
        for (String name : filter.parameters()) {
            String value = parameters.get(name);
            if (value == null) {
                throw new FerryException(ErrorCode.PARTITION_PARAMETER_MISSING, "the filter of table " + table + " uses parameter :" + name
                        + ", which is set neither for remote " + remoteId + " nor for its owner",
                        "set it with `ferry remote set-param --remote " + remoteId + " --param " + name + "=VALUE` or `ferry user set-param --name USER --param "
                                + name + "=VALUE`");
            }
            dialect.bindFilterParameter(ps, index++, value);
        }
        return index;
    }
}
