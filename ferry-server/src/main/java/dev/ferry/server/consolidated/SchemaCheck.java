package dev.ferry.server.consolidated;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.SchemaRefusal;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides, from one read of the consolidated schema, what a server start synchronizes (issue 13):
 * every problem is found in that one read, never one per start. Tables the configuration names must
 * all be accepted, or the start is refused with the whole list; when every table is synchronized
 * (no {@code sync.tables}), a refused table is reported, with all the others, as a warning and left
 * out, and the rest synchronize. Reads only: run before Ferry's own tables are created, so that a
 * refused start leaves the database as it found it.
 */
public final class SchemaCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaCheck.class);

    private SchemaCheck() {
    }

    /** The reading of {@code only} (empty: every table) with {@code choice}'s columns, tables on foreign-key cycles refused. */
    public static SchemaReading read(Connection c, ConsolidatedDialect dialect, List<String> only, ColumnChoice choice) throws SQLException {
        return dialect.readSchemaReport(c, only.isEmpty() ? null : only, choice).withoutCycles();
    }

    /** Throws when a start on this reading must be refused: a named table refused, or nothing left to synchronize. */
    public static void refuseStart(SchemaReading reading, List<String> only) {
        if (!reading.refusals().isEmpty() && (!only.isEmpty() || reading.tables().isEmpty())) {
            throw reading.refusedError();
        }
        if (reading.tables().isEmpty()) {
            throw new FerryException(ErrorCode.SCHEMA_NO_TABLES, "the consolidated database has no table with a primary key to synchronize",
                    "create your tables first, or list them under sync.tables");
        }
    }

    /** The tables a start synchronizes, the refused ones reported as one warning; throws when the start must be refused. */
    public static List<TableDef> accepted(SchemaReading reading, List<String> only) {
        refuseStart(reading, only);
        if (!reading.refusals().isEmpty()) {
            LOG.warn("{} of the consolidated tables do not synchronize; the other {} do (`ferry schema check` prints the plan):{}",
                    reading.refusals().stream().map(SchemaRefusal::table).distinct().count(), reading.tables().size(),
                    reading.refusals().stream().map(r -> "\n  - " + r).collect(Collectors.joining()));
        }
        return reading.tables();
    }
}
