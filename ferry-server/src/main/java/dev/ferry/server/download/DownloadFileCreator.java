package dev.ferry.server.download;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.protocol.SyncResponseWriter;
import dev.ferry.protocol.downloadfile.DownloadFileHeader;
import dev.ferry.protocol.downloadfile.DownloadFileWriter;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.Tracking;
import dev.ferry.server.config.Publications;
import dev.ferry.server.partition.PartitionView;
import dev.ferry.server.partition.Partitions;
import dev.ferry.server.partition.Subscriptions;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes download files (seed 001): the changes a group of remotes has not downloaded yet, or every
 * row, taken the way a sync takes its download (stamp, then one snapshot), so a file never misses a
 * change that a sync would deliver. Reads the consolidated database only; what the remotes
 * have applied is learned at their next sync. Thread-safe.
 */
public final class DownloadFileCreator {
    private final ConsolidatedDatabase db;
    private final Tracking tracking;
    private final Map<String, TableSql> sql = new LinkedHashMap<>();
    private final ChangeStamper stamper;
    private final DownloadWriter downloads;
    private final Partitions partitions;

    public DownloadFileCreator(ConsolidatedDatabase db, Tracking tracking) {
        this(db, tracking, Publications.none());
    }

    /** A creator that honours the configured publications: a file holds exactly its remote's share (docs/PARTITIONS.md). */
    public DownloadFileCreator(ConsolidatedDatabase db, Tracking tracking, Publications publications) {
        this.db = db;
        this.tracking = tracking;
        for (TableDef t : tracking.tables()) {
            sql.put(t.name(), new TableSql(db.dialect(), tracking.tracked(t.name())));
        }
        this.stamper = new ChangeStamper(db);
        this.partitions = Partitions.build(publications, tracking, db, sql);
        this.downloads = new DownloadWriter(db, partitions.view(List.of()));
    }

    /**
     * @param remoteIds the remotes the file is for; empty only with {@code full} (then any remote may apply it)
     * @param full      every row and every recorded delete, from the beginning; otherwise the changes after
     *                  the oldest last download the server knows of among {@code remoteIds}
     * @param signWith  Ed25519 private key, or null for an unsigned file
     */
    public DownloadFileHeader create(List<String> remoteIds, boolean full, Path out, PrivateKey signWith) {
        if (!full && remoteIds.isEmpty()) {
            throw new FerryException(ErrorCode.USAGE, "a download file of changes needs at least one --remote-id",
                    "name the remotes it is for, or make a full file with --full");
        }
        PartitionView view = viewFor(remoteIds);
        Instant createdAt = now();
        Start start = full ? new Start(0, null) : start(remoteIds);
        stamper.stamp(sql.values());
        try (DownloadFileWriter file = DownloadFileWriter.create(out)) {
            SyncResponseWriter w = new SyncResponseWriter(file.body());
            w.start(db.identity(), "download-file");
            long next;
            try {
                // From position 0 the file also carries every recorded delete: unlike a first sync, it
                // may be applied to a remote that already holds rows.
                next = downloads.write(view, remoteIds.isEmpty() ? null : remoteIds.get(0), start.position(), start.position() == 0,
                        EchoFilter.NONE, Map.of(), w);
            } catch (SQLException e) {
                throw SqlErrors.wrap("reading the changes for a download file", db.dialect(), e);
            }
            Instant nextTime = now();
            w.endDownload(next, nextTime.toString());
            w.end();
            w.close();
            DownloadFileHeader header = new DownloadFileHeader(db.identity(), remoteIds, start.position() == 0, start.position(), start.time(),
                    next, nextTime, createdAt, view.schema().stream().map(TableDef::name).toList(), w.downloadRows());
            file.finish(header, signWith);
            handedOut(full && remoteIds.isEmpty() ? null : remoteIds, next);
            return header;
        }
    }

    /**
     * The tables the file carries. With publications, a file holds one remote's share: it is made for
     * exactly one remote whose filters are bound to its parameters, and what it sends is recorded in the
     * remote's holdings (unknown until the remote's next sync acknowledges it). A group or a full file for
     * anyone could carry rows outside some remote's partition, so they are refused; a group of remotes
     * that share nothing filtered (same subscription, no filtered table) is allowed.
     */
    private PartitionView viewFor(List<String> remoteIds) {
        if (!partitions.enabled()) {
            return partitions.view(List.of());
        }
        if (remoteIds.isEmpty()) {
            throw new FerryException(ErrorCode.USAGE, "the server publishes partitions, so a full file for any remote could hand out rows outside a"
                    + " remote's partition", "name the remote it is for with --remote-id");
        }
        List<PartitionView> views = new java.util.ArrayList<>();
        try (Connection c = db.connection()) {
            for (String id : remoteIds) {
                views.add(partitions.view(Subscriptions.of(c, id)));
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("reading the remotes' subscriptions", db.dialect(), e);
        }
        PartitionView first = views.get(0);
        boolean same = views.stream().allMatch(v -> v == first);
        if (remoteIds.size() > 1 && (!same || first.anyFiltered())) {
            throw new FerryException(ErrorCode.USAGE, "remotes " + remoteIds + " have partitions of their own, so one file cannot serve them all",
                    "make one file per remote (--remote-id once)");
        }
        return first;
    }

    /** The file's remotes (every remote for a full file for anyone) may now hold position {@code next}: not a sign of a restore. */
    private void handedOut(List<String> remoteIds, long next) {
        try (Connection c = db.connection()) {
            HandedOutPositions.record(c, remoteIds, next);
        } catch (SQLException e) {
            throw SqlErrors.wrap("recording the download file's position", db.dialect(), e);
        }
    }

    private record Start(long position, Instant time) {
    }

    /** The oldest last download among the remotes: a file from there is applicable to each of them. */
    private Start start(List<String> remoteIds) {
        String marks = String.join(", ", Collections.nCopies(remoteIds.size(), "?"));
        Map<String, Start> known = new LinkedHashMap<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT remote_id, last_download_position, last_download_at FROM ferry_remote WHERE remote_id IN (" + marks + ")")) {
            for (int i = 0; i < remoteIds.size(); i++) {
                ps.setString(i + 1, remoteIds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDateTime at = rs.getObject(3, LocalDateTime.class);
                    known.put(rs.getString(1), new Start(rs.getLong(2), at == null ? null : at.toInstant(ZoneOffset.UTC)));
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("reading the remotes' last downloads", db.dialect(), e);
        }
        List<String> unknown = remoteIds.stream().filter(id -> !known.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw new FerryException(ErrorCode.USAGE, "remote" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + " never synced with this consolidated database, so the server does not know what " + (unknown.size() == 1 ? "it has" : "they have"),
                    "make a full file with --full");
        }
        return known.values().stream().min((a, b) -> Long.compare(a.position(), b.position())).orElseThrow();
    }

    private Instant now() {
        try (Connection c = db.connection()) {
            return db.dialect().currentTime(c);
        } catch (SQLException e) {
            throw SqlErrors.wrap("reading the consolidated clock", db.dialect(), e);
        }
    }
}
