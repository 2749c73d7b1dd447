package dev.ferry.server.upload;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import dev.ferry.protocol.UploadRow;
import dev.ferry.server.consolidated.TableSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys of one chunk whose consolidated row is now exactly what the remote uploaded, tagged in their
 * shadow rows after the chunk's writes ({@code ferry_origin}, docs/STATE-TABLES.md "Echo"): the
 * download leaves a tagged row out for the database that uploaded it (seeds 003, 004) by a SQL
 * predicate, with nothing about the upload kept in memory past the chunk. Any later write by anyone
 * else resets the tag through the capture trigger, so a row changed since is sent again.
 *
 * <p>The tag is the remote database's incarnation token, not its remote id: after {@code remote reset}
 * or {@code remote init --replace} the remote id is another database (a restored backup, say), which
 * holds none of the rows the old one uploaded. Remotes made before incarnations tag nothing.
 *
 * <p>Whether a row is "exactly what was uploaded" is read back, not assumed: the chunk's rows are
 * selected again after its writes and compared column by column under Ferry's value equality, the
 * columns the database fills included. So a row a trigger, a default, an identity or a computed column,
 * or {@code char(n)} padding made different goes back to the remote in the same sync; a delete is
 * tagged when the row is gone.
 */
final class EchoTags {
    private final java.util.Set<UploadRow> sentPartly = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final TableSql sql;
    private final boolean triggersTag;
    private final List<UploadRow> candidates = new ArrayList<>();

    /** {@code triggersTag}: the chunk's writes ran with the origin set, so the triggers tagged every row they wrote. */
    EchoTags(TableSql sql, boolean triggersTag) {
        this.sql = sql;
        this.triggersTag = triggersTag;
    }

    /** The row should now hold what {@code r} uploaded (its new values; for a delete: nothing). */
    void expect(UploadRow r) {
        if (!sentPartly.contains(r)) {
            candidates.add(r);
        }
    }

    /**
     * {@code r} was completed by the server ({@link AbsentColumns}): the remote does not hold what it now
     * holds, so the row is never tagged as the remote's own and its download brings it back.
     */
    void sentPartly(UploadRow r) {
        sentPartly.add(r);
    }

    /**
     * Reads the candidates back; tags those that hold what was uploaded and are not tagged yet, and, when
     * the triggers tagged the chunk's writes ({@code written}), clears the tag of every written row that
     * does not hold what was uploaded (a trigger or default changed it, or a conflict resolution wrote
     * it). Call after the chunk's writes. {@code incarnation} null: tags nothing.
     */
    void write(Connection c, String incarnation, List<Object[]> written) throws SQLException {
        if (incarnation == null) {
            candidates.clear();
            return;
        }
        TableDef t = sql.table();
        // Where the triggers tagged the writes, only echoes nothing wrote (the same change made twice, a
        // delete of a row already gone) still need the tag.
        Set<KeyText> tagged = new HashSet<>();
        if (triggersTag) {
            for (Object[] key : written) {
                tagged.add(KeyText.of(t.keyColumns(), key));
            }
        }
        List<Object[]> keys = new ArrayList<>();
        Set<KeyText> echoes = new HashSet<>();
        if (!candidates.isEmpty()) {
            CurrentRows now = CurrentRows.lock(c, sql, candidates);
            for (UploadRow r : candidates) {
                Object[] key = t.keyOf(r.image());
                Object[] row = now.get(key);
                if (r.newValues() == null ? row == null : row != null && identical(t, r.newValues(), row)) {
                    KeyText text = KeyText.of(t.keyColumns(), key);
                    echoes.add(text);
                    if (!tagged.contains(text)) {
                        keys.add(key);
                    }
                }
            }
            candidates.clear();
        }
        if (!keys.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(sql.tagOrigin(keys.size()))) {
                ps.setString(1, incarnation);
                ps.setString(2, incarnation);
                bindKeys(ps, 3, keys);
                ps.executeUpdate();
            }
        }
        if (triggersTag) {
            List<Object[]> wrong = new ArrayList<>();
            for (Object[] key : written) {
                if (!echoes.contains(KeyText.of(t.keyColumns(), key))) {
                    wrong.add(key);
                }
            }
            if (!wrong.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(sql.untagOrigin(wrong.size()))) {
                    bindKeys(ps, 1, wrong);
                    ps.executeUpdate();
                }
            }
        }
    }

    private void bindKeys(PreparedStatement ps, int first, List<Object[]> keys) throws SQLException {
        int index = first;
        for (Object[] key : keys) {
            index = sql.bindKey(ps, index, key);
        }
    }

    /** Every column equal, those the database fills included: what the remote holds is what the database holds. */
    private static boolean identical(TableDef t, Object[] uploaded, Object[] stored) {
        List<ColumnDef> cols = t.columns();
        for (int i = 0; i < uploaded.length; i++) {
            if (!Values.equal(cols.get(i).type(), uploaded[i], stored[i])) {
                return false;
            }
        }
        return true;
    }
}
