package dev.ferry.dialect;

import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A remote's key ranges (docs/SCHEMAS.md, "Keys created offline"): the blocks of keys the server
 * handed it, in {@code ferry_key_range}, and what makes the application's new rows take their keys
 * from them. Every method runs in the caller's transaction.
 */
public interface RemoteKeyRanges {
    /**
     * Per table that has ranges: how many of their keys are unused, after bringing the record up to
     * date with what the application took. May move on to a later range first (H2's sequence covers
     * one range at a time).
     */
    Map<String, Long> keysLeft(Connection c) throws SQLException;

    /** Records ranges the server handed out for {@code table}, and makes the table's new rows take keys from them. */
    void receive(Connection c, TableDef table, List<ReservedKeys> ranges) throws SQLException;

    /** Takes the next unused key of {@code table}'s ranges for the application; {@code KEY_RANGE_EXHAUSTED} when none is left. */
    long take(Connection c, TableDef table) throws SQLException;
}
