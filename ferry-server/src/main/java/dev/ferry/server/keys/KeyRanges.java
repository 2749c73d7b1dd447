package dev.ferry.server.keys;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.ReservedKeys;
import dev.ferry.protocol.HeldKeys;
import dev.ferry.protocol.KeyRange;
import dev.ferry.server.config.KeyRangeSettings;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.Tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands remotes the key ranges of the tables {@code sync.keyRanges.tables} names. Owner of the rule that
 * a remote's ranges never overlap another remote's nor the server's own keys: every range is kept out
 * of the table's key generator ({@link dev.ferry.dialect.ConsolidatedDialect#reserveKeys}) and
 * recorded in {@code ferry_key_range} before any remote hears of it.
 *
 * <p>What a sync gets, per table the remote synchronizes: one new range when the keys it reports left
 * are below {@link KeyRangeSettings#refillBelow()}. A range is never handed out twice, not even to the
 * same remote: a response the remote never read wastes its range (the next sync brings another),
 * because sending it again could give a reset or re-created remote keys its former database already
 * used. At most one new range per table per sync, whatever the remote reports, so a remote that lies
 * about its keys cannot drain the key space faster than it syncs. Nothing is kept in memory between
 * requests.
 */
public final class KeyRanges {
    private final ConsolidatedDatabase db;
    private final KeyRangeSettings settings;
    private final List<TableDef> tables;
    private final Duration lockWait;

    private KeyRanges(ConsolidatedDatabase db, KeyRangeSettings settings, List<TableDef> tables, Duration lockWait) {
        this.db = db;
        this.settings = settings;
        this.tables = tables;
        this.lockWait = lockWait;
    }

    /**
     * Checks at start that every table {@code sync.keyRanges.tables} names synchronizes and can take key
     * ranges (one integer key with a generator the database lets Ferry move), all problems at once.
     */
    public static KeyRanges start(ConsolidatedDatabase db, Tracking tracking, KeyRangeSettings settings, Duration lockWait) {
        try (Connection c = db.connection()) {
            return new KeyRanges(db, settings, check(c, db.dialect(), tracking.tables(), settings), lockWait);
        } catch (SQLException e) {
            throw SqlErrors.wrap("checking the tables of sync.keyRanges", db.dialect(), e);
        }
    }

    /**
     * The tables of {@code sync.keyRanges.tables}, checked against the tables a start synchronizes; reads
     * only, so that a start can be refused before Ferry's own tables are created.
     */
    public static List<TableDef> check(Connection c, ConsolidatedDialect dialect, List<TableDef> synchronizedTables, KeyRangeSettings settings)
            throws SQLException {
        List<TableDef> tables = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : settings.tables()) {
            TableDef t = synchronizedTables.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            if (t == null) {
                problems.add("sync.keyRanges.tables names " + name + ", which is not a synchronized table (synchronized: "
                        + synchronizedTables.stream().map(TableDef::name).toList() + ")");
                continue;
            }
            try {
                dialect.checkKeyRanges(c, t);
                tables.add(t);
            } catch (FerryException e) {
                problems.add(e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new FerryException(problems.size() == 1 && problems.get(0).startsWith("sync.") ? ErrorCode.CONFIG_INVALID : ErrorCode.KEY_RANGE_UNAVAILABLE,
                    String.join("; ", problems), "fix each table named, or take it out of sync.keyRanges.tables (docs/SCHEMAS.md, \"Keys created offline\")");
        }
        return List.copyOf(tables);
    }

    public boolean enabled() {
        return !tables.isEmpty();
    }

    /**
     * The ranges a sync of {@code remoteId} carries back, for the tables among {@code synchronized} that
     * take key ranges; {@code held} is what the remote reports of its own.
     */
    public List<KeyRange> handOut(String remoteId, Set<String> synchronizedTables, Map<String, HeldKeys> held) {
        List<KeyRange> out = new ArrayList<>();
        for (TableDef t : tables) {
            if (!synchronizedTables.contains(t.name())) {
                continue;
            }
            HeldKeys h = held.getOrDefault(t.name(), new HeldKeys(0));
            if (h.keysLeft() >= settings.refillBelow()) {
                continue;
            }
            try (Connection c = db.connection()) {
                out.add(reserve(c, remoteId, t));
            } catch (SQLException e) {
                throw SqlErrors.wrap("handing key ranges of table " + t.name() + " to remote " + remoteId, db.dialect(), e);
            }
        }
        return out;
    }

    private KeyRange reserve(Connection c, String remoteId, TableDef t) throws SQLException {
        ReservedKeys r = db.dialect().reserveKeys(c, t, settings.size(), lockWait);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_key_range (table_name, range_first, range_last, remote_id, handed_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, t.name());
            ps.setLong(2, r.first());
            ps.setLong(3, r.last());
            ps.setString(4, remoteId);
            ps.setObject(5, LocalDateTime.ofInstant(db.dialect().currentTime(c), ZoneOffset.UTC));
            ps.executeUpdate();
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return new KeyRange(t.name(), r.first(), r.last());
    }
}
