package dev.ferry.server.partition;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements of one filtered table (docs/PARTITIONS.md, "How a download finds a remote's
 * share"). Every one is index-backed: the shadow's position index, the holdings table's primary key
 * (remote_id, key) and its (remote_id, ferry_position) index, and key lookups into the table; none
 * scans the change table per remote. The filter {@code F} always runs with only the table (alias
 * {@code t}) in scope, so its unqualified column names mean the table's columns. Each statement's
 * javadoc lists its parameters in order; {@code F} stands for the filter's own parameters.
 */
public final class PartitionSql {
    private final String upsertsChanged;
    private final String upsertsUnknown;
    private final String upsertsNotKnownHeld;
    private final String upsertsChangedKnownHeld;
    private final String leftUnknown;
    private final String leftChangedHeld;
    private final String leftHeld;
    private final String rowInFilter;
    private final String currentInFilter;
    private final String holdsRow;
    private final String deleteHoldings;
    private final String insertHoldings;
    private final String purge;

    PartitionSql(ConsolidatedDialect d, TableDef table, String shadowName, String holdingsName, FilterSql filter) {
        String t = d.quote(table.name());
        String shadow = d.quote(shadowName);
        String held = d.quote(holdingsName);
        String pos = d.quote("ferry_position");
        String isHeld = d.quote("ferry_held");
        String remote = d.quote("remote_id");
        String f = "(" + filter.sql() + ")";
        String cols = table.columns().stream().map(c -> "t." + d.quote(c.name())).collect(Collectors.joining(", "));
        String changedT = "EXISTS (SELECT 1 FROM " + shadow + " c WHERE " + join(d, table, "c", "t") + " AND c." + pos + " > ? AND c." + pos + " <= ?)";
        String heldT = "SELECT 1 FROM " + held + " h WHERE h." + remote + " = ? AND " + join(d, table, "h", "t");
        String inFilterOfH = "EXISTS (SELECT 1 FROM " + t + " t WHERE " + join(d, table, "t", "h") + " AND " + f + ")";
        String hKeys = table.keyColumns().stream().map(c -> "h." + d.quote(c.name())).collect(Collectors.joining(", "));
        // Each row and key comes with the origin of its last change, last column: the download leaves the remote's own echoes out.
        String origin = d.quote("ferry_origin");
        String originOfT = ", (SELECT o." + origin + " FROM " + shadow + " o WHERE " + join(d, table, "o", "t") + ")";
        String originOfH = ", (SELECT o." + origin + " FROM " + shadow + " o WHERE " + join(d, table, "o", "h") + ")";
        String rowsOut = cols + originOfT;
        // F, after, upTo
        this.upsertsChanged = "SELECT " + rowsOut + " FROM " + t + " t WHERE " + f + " AND " + changedT;
        // F, remote, after, after, upTo
        this.upsertsUnknown = "SELECT " + rowsOut + " FROM " + t + " t WHERE " + f + " AND EXISTS (" + heldT + " AND h." + pos + " > ?) AND NOT "
                + changedT;
        // F, remote, after
        this.upsertsNotKnownHeld = "SELECT " + rowsOut + " FROM " + t + " t WHERE " + f + " AND NOT EXISTS (" + heldT + " AND h." + isHeld
                + " = 1 AND h." + pos + " <= ?)";
        // F, after, upTo, remote, after
        this.upsertsChangedKnownHeld = "SELECT " + rowsOut + " FROM " + t + " t WHERE " + f + " AND " + changedT + " AND EXISTS (" + heldT
                + " AND h." + isHeld + " = 1 AND h." + pos + " <= ?)";
        // remote, after, F
        this.leftUnknown = "SELECT " + hKeys + originOfH + " FROM " + held + " h WHERE h." + remote + " = ? AND h." + pos + " > ? AND NOT " + inFilterOfH;
        // remote, after, upTo, after, F
        this.leftChangedHeld = "SELECT " + hKeys + ", c." + origin + " FROM " + shadow + " c JOIN " + held + " h ON h." + remote + " = ? AND "
                + join(d, table, "h", "c") + " WHERE c." + pos + " > ? AND c." + pos + " <= ? AND h." + isHeld + " = 1 AND h." + pos
                + " <= ? AND NOT " + inFilterOfH;
        // remote, after, F
        this.leftHeld = "SELECT " + hKeys + originOfH + " FROM " + held + " h WHERE h." + remote + " = ? AND (h." + isHeld + " = 1 OR h." + pos
                + " > ?) AND NOT " + inFilterOfH;
        // key, F
        this.rowInFilter = "SELECT " + cols + " FROM " + t + " t WHERE " + keyIs(d, table, "t") + " AND " + f;
        // F, key
        this.currentInFilter = "SELECT CASE WHEN " + f + " THEN 1 ELSE 0 END FROM " + t + " t WHERE " + keyIs(d, table, "t");
        // remote, key
        this.holdsRow = "SELECT " + isHeld + " FROM " + held + " h WHERE h." + remote + " = ? AND " + keyIs(d, table, "h");
        // remote, key
        this.deleteHoldings = "DELETE FROM " + held + " WHERE " + remote + " = ? AND " + keyIs(d, table, "");
        // remote, key, held, position
        this.insertHoldings = "INSERT INTO " + held + " (" + remote + ", " + table.keyColumns().stream().map(c -> d.quote(c.name()))
                .collect(Collectors.joining(", ")) + ", " + isHeld + ", " + pos + ") VALUES (?, " + table.keyColumns().stream()
                .map(d::placeholder).collect(Collectors.joining(", ")) + ", ?, ?)";
        // remote, position
        this.purge = "DELETE FROM " + held + " WHERE " + remote + " = ? AND " + isHeld + " = 0 AND " + pos + " <= ?";
    }

    /** Whether any key of a shadow table changed in (after, upTo]. Parameters: after, upTo. */
    public static String anyChange(ConsolidatedDialect d, String quotedShadow) {
        String pos = d.quote("ferry_position");
        return "SELECT 1 FROM " + quotedShadow + " WHERE " + pos + " > ? AND " + pos + " <= ? FETCH FIRST 1 ROWS ONLY";
    }

    private static String join(ConsolidatedDialect d, TableDef table, String a, String b) {
        return table.primaryKey().stream().map(k -> a + "." + d.quote(k) + " = " + b + "." + d.quote(k)).collect(Collectors.joining(" AND "));
    }

    private static String keyIs(ConsolidatedDialect d, TableDef table, String alias) {
        String prefix = alias.isEmpty() ? "" : alias + ".";
        List<ColumnDef> keys = table.keyColumns();
        return keys.stream().map(c -> prefix + d.quote(c.name()) + " = " + d.placeholder(c)).collect(Collectors.joining(" AND "));
    }

    /** Rows in the filter changed in (after, upTo]. Parameters: F, after, upTo. */
    public String upsertsChanged() {
        return upsertsChanged;
    }

    /** Rows in the filter whose holdings are unknown (position past the remote's last download) and not changed. Parameters: F, remote, after, after, upTo. */
    public String upsertsUnknown() {
        return upsertsUnknown;
    }

    /** Re-evaluation: rows in the filter the remote is not known to hold. Parameters: F, remote, after. */
    public String upsertsNotKnownHeld() {
        return upsertsNotKnownHeld;
    }

    /** Re-evaluation: rows in the filter the remote is known to hold, changed in (after, upTo]. Parameters: F, after, upTo, remote, after. */
    public String upsertsChangedKnownHeld() {
        return upsertsChangedKnownHeld;
    }

    /** Keys with unknown holdings whose row is gone or outside the filter. Parameters: remote, after, F. */
    public String leftUnknown() {
        return leftUnknown;
    }

    /** Keys known held, changed in (after, upTo], whose row is gone or outside the filter. Parameters: remote, after, upTo, after, F. */
    public String leftChangedHeld() {
        return leftChangedHeld;
    }

    /** Re-evaluation: keys held or unknown whose row is gone or outside the filter. Parameters: remote, after, F. */
    public String leftHeld() {
        return leftHeld;
    }

    /** The row of a key, if it is in the filter. Parameters: key, F. */
    public String rowInFilter() {
        return rowInFilter;
    }

    /** One row (1 or 0: in the filter or not) when the key exists. Parameters: F, key. */
    public String currentInFilter() {
        return currentInFilter;
    }

    /** The held flag of a remote's holdings row, if any. Parameters: remote, key. */
    public String holdsRow() {
        return holdsRow;
    }

    /** Parameters: remote, key. */
    public String deleteHoldings() {
        return deleteHoldings;
    }

    /** Parameters: remote, key, held (1/0), position. */
    public String insertHoldings() {
        return insertHoldings;
    }

    /** Drops a remote's not-held holdings it acknowledged. Parameters: remote, position. */
    public String purge() {
        return purge;
    }
}
