package dev.ferry.server.conflict;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Both sides' changes survive when they touched different columns: a column the remote changed (new
 * value differs from its old image) takes the remote's value, a column only the server changed keeps
 * the server's. Columns both changed to different values overlap; the {@code overlap} setting decides
 * them (server's by default). Without a common old version (insert of an existing key, update against
 * a delete) there is nothing to merge, and the overlap side wins the whole row.
 */
final class ColumnMerge implements ConflictPolicy {
    static final String NAME = "column-merge";

    private final TableDef table;
    private final boolean remoteWinsOverlap;

    ColumnMerge(TableDef table, boolean remoteWinsOverlap) {
        this.table = table;
        this.remoteWinsOverlap = remoteWinsOverlap;
    }

    @Override
    public String name() {
        return NAME + (remoteWinsOverlap ? "(overlap client-wins)" : "");
    }

    @Override
    public Decision decide(Conflict conflict, Connection c) {
        if (conflict.kind() != ConflictKind.UPDATE_UPDATE) {
            Resolution whole = remoteWinsOverlap ? Resolution.takeRemote() : Resolution.keepServer();
            return Decision.of(whole, "no common version to merge (" + conflict.kind().text() + "): "
                    + (remoteWinsOverlap ? "the remote's" : "the server's") + " version is kept");
        }
        Map<String, Object> merged = new LinkedHashMap<>(conflict.serverImage());
        List<String> fromRemote = new ArrayList<>();
        List<String> fromServer = new ArrayList<>();
        List<String> overlap = new ArrayList<>();
        // Columns the database fills itself are not merged: the remote never changes them, the server's stand.
        for (ColumnDef col : table.updatableColumns()) {
            String name = col.name();
            Object old = conflict.oldImage().get(name);
            Object remote = conflict.remoteImage().get(name);
            Object server = conflict.serverImage().get(name);
            boolean remoteChanged = !Values.equal(col.type(), old, remote);
            boolean serverChanged = !Values.equal(col.type(), old, server);
            if (remoteChanged && serverChanged && !Values.equal(col.type(), remote, server)) {
                overlap.add(name);
                if (remoteWinsOverlap) {
                    merged.put(name, remote);
                }
            } else if (remoteChanged) {
                fromRemote.add(name);
                merged.put(name, remote);
            } else if (serverChanged) {
                fromServer.add(name);
            }
        }
        List<String> parts = new ArrayList<>();
        if (!fromRemote.isEmpty()) {
            parts.add("remote's " + fromRemote);
        }
        if (!fromServer.isEmpty()) {
            parts.add("server's " + fromServer);
        }
        if (!overlap.isEmpty()) {
            parts.add("both changed " + overlap + ", " + (remoteWinsOverlap ? "remote's" : "server's") + " values kept");
        }
        String detail = String.join("; ", parts);
        Resolution r = fromRemote.isEmpty() && (overlap.isEmpty() || !remoteWinsOverlap)
                ? Resolution.keepServer() : Resolution.write(merged);
        return new Decision(r, "merged", detail);
    }
}
