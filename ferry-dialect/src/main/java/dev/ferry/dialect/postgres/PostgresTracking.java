package dev.ferry.dialect.postgres;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.jdbc.IdentifierQuoter;
import dev.ferry.dialect.jdbc.JdbcTransaction;
import dev.ferry.dialect.jdbc.ShadowTableDdl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs and removes the shadow table and row trigger of one table (docs/STATE-TABLES.md).
 *
 * <p>One PL/pgSQL function {@code <prefix>_fn} and one trigger {@code <prefix>_row} (AFTER INSERT OR
 * UPDATE OR DELETE, FOR EACH ROW), and for {@code TRUNCATE}, which fires no row trigger, a function
 * {@code <prefix>_truncate_fn} run by the statement trigger {@code <prefix>_truncate} (BEFORE TRUNCATE,
 * so the rows are still there): it records every key of the table as deleted, so the remotes delete
 * their rows as for a {@code DELETE} (also for the tables a {@code TRUNCATE ... CASCADE} empties, whose
 * own trigger fires). Everything runs in one transaction under an advisory lock, so
 * re-installing replaces the trigger atomically (no write slips between DROP and CREATE) and two
 * servers starting together do not collide on CREATE OR REPLACE FUNCTION. The shadow table is
 * schema-qualified inside the function because a trigger runs with the search_path of whichever
 * session writes the row. Updates that change nothing ({@code OLD::text = NEW::text}; the text form
 * is used because records with json columns cannot be compared with =) are not recorded.
 */
final class PostgresTracking {
    private static final String BODY_TAG = "$ferry_trigger$";
    /** The transaction-local setting whose value the trigger writes as the origin tag (PostgresDialect.setWriteOrigin). */
    static final String ORIGIN_SETTING = "ferry.origin";
    /** The tag of a row this write leaves: the setting at depth 1 (the statement's own rows), else none. */
    private static final String ORIGIN = "CASE WHEN pg_trigger_depth() = 1 THEN NULLIF(current_setting('" + ORIGIN_SETTING + "', true), '') END";

    private final IdentifierQuoter q;

    PostgresTracking(IdentifierQuoter q) {
        this.q = q;
    }

    void install(Connection c, TableDef table, String shadow, String prefix) throws SQLException {
        JdbcTransaction.run(c, () -> {
            String schema = currentSchema(c);
            lock(c, schema, table.name());
            String qs = q.quote(schema);
            String qShadow = qs + "." + q.quote(shadow);
            String qTable = qs + "." + q.quote(table.name());
            String qFunction = qs + "." + q.quote(prefix + "_fn");
            List<ShadowTableDdl.KeyColumn> keys = new ArrayList<>();
            for (ColumnDef k : table.keyColumns()) {
                keys.add(new ShadowTableDdl.KeyColumn(k.name(), PostgresTypeMapping.nativeType(k)));
            }
            try (Statement s = c.createStatement()) {
                s.execute(ShadowTableDdl.createTable(q, qShadow, keys, ""));
                s.execute(ShadowTableDdl.addOriginColumn(q, qShadow));
                s.execute(ShadowTableDdl.createPositionIndex(q, shadow, qShadow));
                s.execute("CREATE OR REPLACE FUNCTION " + qFunction + "() RETURNS trigger LANGUAGE plpgsql AS "
                        + BODY_TAG + functionBody(table, qShadow) + BODY_TAG);
                s.execute("DROP TRIGGER IF EXISTS " + q.quote(prefix + "_row") + " ON " + qTable);
                s.execute("CREATE TRIGGER " + q.quote(prefix + "_row") + " AFTER INSERT OR UPDATE OR DELETE ON " + qTable
                        + " FOR EACH ROW EXECUTE FUNCTION " + qFunction + "()");
                String qTruncate = qs + "." + q.quote(prefix + "_truncate_fn");
                s.execute("CREATE OR REPLACE FUNCTION " + qTruncate + "() RETURNS trigger LANGUAGE plpgsql AS "
                        + BODY_TAG + truncateBody(table, qTable, qShadow) + BODY_TAG);
                s.execute("DROP TRIGGER IF EXISTS " + q.quote(prefix + "_truncate") + " ON " + qTable);
                s.execute("CREATE TRIGGER " + q.quote(prefix + "_truncate") + " BEFORE TRUNCATE ON " + qTable
                        + " FOR EACH STATEMENT EXECUTE FUNCTION " + qTruncate + "()");
            }
        });
    }

    void installHoldings(Connection c, TableDef table, String holdings) throws SQLException {
        String qualified = q.quote(currentSchema(c)) + "." + q.quote(holdings);
        List<ShadowTableDdl.KeyColumn> keys = new ArrayList<>();
        for (ColumnDef k : table.keyColumns()) {
            keys.add(new ShadowTableDdl.KeyColumn(k.name(), PostgresTypeMapping.nativeType(k)));
        }
        try (Statement s = c.createStatement()) {
            s.execute(ShadowTableDdl.createHoldingsTable(q, qualified, keys, ""));
            s.execute(ShadowTableDdl.createHoldingsPositionIndex(q, holdings, qualified));
        }
    }

    void remove(Connection c, TableDef table, String prefix) throws SQLException {
        JdbcTransaction.run(c, () -> {
            String schema = currentSchema(c);
            lock(c, schema, table.name());
            String qs = q.quote(schema);
            try (Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER IF EXISTS " + q.quote(prefix + "_row") + " ON " + qs + "." + q.quote(table.name()));
                s.execute("DROP TRIGGER IF EXISTS " + q.quote(prefix + "_truncate") + " ON " + qs + "." + q.quote(table.name()));
                s.execute("DROP FUNCTION IF EXISTS " + qs + "." + q.quote(prefix + "_fn") + "()");
                s.execute("DROP FUNCTION IF EXISTS " + qs + "." + q.quote(prefix + "_truncate_fn") + "()");
            }
        });
    }

    private String functionBody(TableDef table, String qShadow) {
        List<String> oldKey = new ArrayList<>();
        List<String> newKey = new ArrayList<>();
        for (String k : table.primaryKey()) {
            oldKey.add("OLD." + q.quote(k));
            newKey.add("NEW." + q.quote(k));
        }
        String body = "\nBEGIN\n"
                + "  IF TG_OP = 'INSERT' THEN\n    " + upsert(table, qShadow, "NEW", "I") + "\n"
                + "  ELSIF TG_OP = 'DELETE' THEN\n    " + upsert(table, qShadow, "OLD", "D") + "\n"
                + "  ELSIF (" + String.join(", ", oldKey) + ") IS DISTINCT FROM (" + String.join(", ", newKey) + ") THEN\n"
                + "    " + upsert(table, qShadow, "OLD", "D") + "\n"
                + "    " + upsert(table, qShadow, "NEW", "I") + "\n"
                + "  ELSIF OLD::text IS DISTINCT FROM NEW::text THEN\n    " + upsert(table, qShadow, "NEW", "U") + "\n"
                + "  END IF;\n"
                + "  RETURN NULL;\n"
                + "END\n";
        if (body.contains(BODY_TAG)) {
            // Only possible through an identifier containing the dollar-quote tag: refuse rather than break out of the body.
            throw new FerryException(ErrorCode.CONFIG_INVALID, "table " + table.name() + " has a name Ferry cannot use in a trigger body");
        }
        return body;
    }

    /** Every key of the table recorded as deleted, with no origin: the server itself never truncates, so every remote is told. */
    private String truncateBody(TableDef table, String qTable, String qShadow) {
        List<String> cols = new ArrayList<>();
        for (String k : table.primaryKey()) {
            cols.add(q.quote(k));
        }
        String keys = String.join(", ", cols);
        String body = "\nBEGIN\n"
                + "  INSERT INTO " + qShadow + " (" + keys + ", " + q.quote("ferry_op") + ", " + q.quote("ferry_position") + ", "
                + q.quote("ferry_origin") + ") SELECT " + keys + ", 'D', NULL, NULL FROM " + qTable + " ON CONFLICT (" + keys + ") DO UPDATE SET "
                + q.quote("ferry_op") + " = 'D', " + q.quote("ferry_position") + " = NULL, " + q.quote("ferry_origin") + " = NULL;\n"
                + "  RETURN NULL;\n"
                + "END\n";
        if (body.contains(BODY_TAG)) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "table " + table.name() + " has a name Ferry cannot use in a trigger body");
        }
        return body;
    }

    private String upsert(TableDef table, String qShadow, String row, String op) {
        List<String> cols = new ArrayList<>();
        List<String> vals = new ArrayList<>();
        for (String k : table.primaryKey()) {
            cols.add(q.quote(k));
            vals.add(row + "." + q.quote(k));
        }
        String keys = String.join(", ", cols);
        return "INSERT INTO " + qShadow + " (" + keys + ", " + q.quote("ferry_op") + ", " + q.quote("ferry_position") + ", "
                + q.quote("ferry_origin") + ") VALUES (" + String.join(", ", vals) + ", '" + op + "', NULL, " + ORIGIN + ") ON CONFLICT ("
                + keys + ") DO UPDATE SET " + q.quote("ferry_op") + " = EXCLUDED." + q.quote("ferry_op") + ", "
                + q.quote("ferry_position") + " = NULL, " + q.quote("ferry_origin") + " = EXCLUDED." + q.quote("ferry_origin") + ";";
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            if (!rs.next() || rs.getString(1) == null) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "the PostgreSQL connection has no current schema",
                        "check the search_path of the consolidated database user");
            }
            return rs.getString(1);
        }
    }

    /** Serializes installers of the same table across servers until this transaction ends. */
    private static void lock(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "ferry tracking " + schema + "." + table);
            ps.execute();
        }
    }
}
