package dev.ferry.server.partition;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.server.config.Publications;
import dev.ferry.server.config.Publications.Direction;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.TrackedTable;
import dev.ferry.server.consolidated.Tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The configured publications checked against the consolidated database at server start, and the
 * {@link PartitionView} of each subscription set, built on first use and cached (remotes share few
 * distinct sets). Validation: every published table is synchronized; every filter runs once as
 * {@code SELECT 1 FROM <table> t WHERE (<filter>) AND 1=0} with dummy parameters; every table a filter
 * reads is synchronized (its changes must be seen to move rows). Failures are {@code CONFIG_INVALID}
 * naming publication and table. Thread-safe.
 */
public final class Partitions {
    private final Publications publications;
    private final Tracking tracking;
    private final ConsolidatedDialect dialect;
    private final Map<String, TableSql> sql;
    private final Map<String, FilterSql> filters = new LinkedHashMap<>();
    /** Per "publication/table" with a column list: the published columns under their names in the database. */
    private final Map<String, Set<String>> columnLists = new LinkedHashMap<>();
    private final Map<List<String>, PartitionView> views = new ConcurrentHashMap<>();

    private Partitions(Publications publications, Tracking tracking, ConsolidatedDialect dialect, Map<String, TableSql> sql) {
        this.publications = publications;
        this.tracking = tracking;
        this.dialect = dialect;
        this.sql = sql;
    }

    /** Validates the publications and installs the holdings tables of filtered tables. */
    public static Partitions build(Publications publications, Tracking tracking, ConsolidatedDatabase db, Map<String, TableSql> sql) {
        Partitions p = new Partitions(publications, tracking, db.dialect(), sql);
        try (Connection c = db.connection()) {
            for (Publications.Publication pub : publications.byName().values()) {
                for (Publications.Table t : pub.tables().values()) {
                    p.validate(c, pub.name(), t);
                }
            }
            for (String table : p.filters.keySet().stream().map(k -> k.substring(k.indexOf('/') + 1)).collect(Collectors.toSet())) {
                TrackedTable tt = tracking.tracked(table);
                db.dialect().installHoldings(c, tt.table(), holdingsName(tt));
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("checking the publications", db.dialect(), e);
        }
        return p;
    }

    /** The holdings table of a tracked table: {@code ferry_held_<table id>}, next to its shadow {@code ferry_chg_<table id>}. */
    public static String holdingsName(TrackedTable t) {
        return "ferry_held_" + t.tableId();
    }

    public boolean enabled() {
        return !publications.isEmpty();
    }

    public Publications publications() {
        return publications;
    }

    /**
     * Refuses ({@code CONFIG_INVALID}) a column list of {@code table} that leaves out {@code column}, which
     * {@code setting} needs to see in every remote's rows (a {@code newer-wins} timestamp column).
     */
    public void requirePublished(String table, String column, String setting) {
        columnLists.forEach((pubTable, listed) -> {
            String pub = pubTable.substring(0, pubTable.indexOf('/'));
            if (pubTable.substring(pub.length() + 1).equals(table) && !listed.contains(column)) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "publications." + pub + ".tables." + table + ".columns leaves out "
                        + column + ", which " + setting + " compares", "publish " + column + " or choose another conflict policy for " + table);
            }
        });
    }

    private void validate(Connection c, String pub, Publications.Table t) throws SQLException {
        String where = "publications." + pub + ".tables." + t.name();
        if (table(t.name()) == null) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, where + ": table " + t.name() + " is not synchronized",
                    "add it to sync.tables (synchronized: " + new TreeSet<>(tracking.byName().keySet()) + ")");
        }
        TableDef def = tracking.tracked(table(t.name())).table();
        if (t.columns() != null) {
            columnLists.put(pub + "/" + def.name(), ColumnList.resolve(c, where, def, t.columns(), t.direction().uploads()));
        }
        if (t.filter() == null) {
            return;
        }
        FilterSql f = FilterSql.parse(t.filter());
        Set<String> columns = def.columns().stream().map(col -> col.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String read : f.fromTables()) {
            if (!columns.contains(read) && tracked(read) == null) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, where + ".filter reads table " + read + ", which is not synchronized",
                        "add " + read + " to sync.tables: Ferry must see its changes to move rows in and out of partitions");
            }
        }
        String probe = "SELECT 1 FROM " + dialect.quote(def.name()) + " t WHERE (" + f.sql() + ") AND 1=0";
        try (PreparedStatement ps = c.prepareStatement(probe)) {
            for (int i = 0; i < f.parameters().size(); i++) {
                dialect.bindFilterParameter(ps, i + 1, "0");
            }
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, where + ".filter does not run on the consolidated database: " + e.getMessage(),
                    "write it as SQL over the table (alias t) with :name parameters; it ran as " + probe);
        }
        filters.put(pub + "/" + def.name(), f);
    }

    /**
     * The synchronized table a configured name means: the same name, else the one name equal to it
     * ignoring case (H2 and PostgreSQL fold unquoted names, so {@code customer} may be {@code CUSTOMER}).
     */
    private String table(String configured) {
        return tracking.byName().containsKey(configured) ? configured : tracked(configured.toLowerCase(Locale.ROOT));
    }

    private String tracked(String lowerName) {
        for (String name : tracking.byName().keySet()) {
            if (name.toLowerCase(Locale.ROOT).equals(lowerName)) {
                return name;
            }
        }
        return null;
    }

    /**
     * The view of a subscription ({@code subscribed} empty = every publication); without publications,
     * every synchronized table both ways, unfiltered. Unknown names are {@code PUBLICATION_NOT_FOUND}.
     */
    public PartitionView view(List<String> subscribed) {
        List<String> names = enabled() ? new ArrayList<>(new TreeSet<>(publications.resolve(subscribed))) : List.of();
        return views.computeIfAbsent(names, this::build);
    }

    private PartitionView build(List<String> names) {
        if (names.isEmpty()) {
            return PartitionView.everything(tracking, sql);
        }
        Map<String, Direction> directions = new LinkedHashMap<>();
        Map<String, List<String>> filterTexts = new LinkedHashMap<>();
        Map<String, Boolean> unfiltered = new LinkedHashMap<>();
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        Set<String> wholeColumns = new HashSet<>();
        for (String name : names) {
            for (Publications.Table t : publications.byName().get(name).tables().values()) {
                String table = table(t.name());
                directions.merge(table, t.direction(), Direction::union);
                Set<String> listed = columnLists.get(name + "/" + table);
                if (listed == null) {
                    wholeColumns.add(table); // a publication sharing every column makes the union every column
                } else {
                    columns.computeIfAbsent(table, k -> new HashSet<>()).addAll(listed);
                }
                if (t.filter() == null) {
                    unfiltered.put(table, true);
                } else {
                    filterTexts.computeIfAbsent(table, k -> new ArrayList<>()).add(t.filter());
                }
            }
        }
        Set<String> published = directions.keySet();
        List<TableDef> defs = new ArrayList<>();
        Map<String, TrackedTable> byName = new LinkedHashMap<>();
        Map<String, TableSql> projectedSql = new LinkedHashMap<>();
        for (TableDef t : tracking.tables()) {
            if (published.contains(t.name())) {
                Set<String> cols = wholeColumns.contains(t.name()) ? null : columns.get(t.name());
                List<ColumnDef> kept = cols == null ? t.columns() : t.columns().stream().filter(col -> cols.contains(col.name())).toList();
                TableDef trimmed = new TableDef(t.name(), kept, t.primaryKey(),
                        t.foreignKeys().stream().filter(fk -> published.contains(fk.referencedTable())
                                && (cols == null || cols.containsAll(fk.columns()))
                                && (wholeColumns.contains(fk.referencedTable()) || !columns.containsKey(fk.referencedTable())
                                        || columns.get(fk.referencedTable()).containsAll(fk.referencedColumns()))).toList());
                defs.add(trimmed);
                TrackedTable tt = tracking.tracked(t.name());
                TrackedTable projected = new TrackedTable(trimmed, tt.tableId(), tt.shadow());
                byName.put(t.name(), projected);
                // Every statement of a projected table reads and writes only its published columns.
                projectedSql.put(t.name(), cols == null ? sql.get(t.name()) : new TableSql(dialect, projected));
            }
        }
        Map<String, TablePartition> parts = new LinkedHashMap<>();
        for (TableDef t : defs) {
            TrackedTable tt = byName.get(t.name());
            List<String> texts = filterTexts.get(t.name());
            if (texts == null || unfiltered.containsKey(t.name())) {
                // A publication that shares the table whole makes the union whole.
                parts.put(t.name(), new TablePartition(projectedSql.get(t.name()), directions.get(t.name()), null, List.of(), null));
                continue;
            }
            FilterSql f = FilterSql.parse(texts.stream().map(x -> "(" + x + ")").collect(Collectors.joining(" OR ")));
            // The filter runs over the whole table: it may read columns the publication does not publish.
            Set<String> own = tracking.tracked(t.name()).table().columns().stream().map(ColumnDef::name)
                    .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            List<String> reads = new ArrayList<>();
            for (String ident : f.identifiers()) {
                String other = tracked(ident);
                if (other != null && !other.equals(t.name()) && !own.contains(ident)) {
                    reads.add(dialect.quote(tracking.tracked(other).shadow()));
                }
            }
            if (f.fromTables().contains(t.name().toLowerCase(Locale.ROOT))) {
                // The filter reads other rows of its own table: a change to one row can move others.
                reads.add(dialect.quote(tt.shadow()));
            }
            PartitionSql ps = new PartitionSql(dialect, tt.table(), tt.shadow(), holdingsName(tt), f);
            parts.put(t.name(), new TablePartition(projectedSql.get(t.name()), directions.get(t.name()), f, reads, ps));
        }
        return new PartitionView(names, new Tracking(SyncSchema.of(defs), byName), parts);
    }
}
