package dev.ferry.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link SyncInterleavingProperty} knows about the history of one try, and the guarantee's checks
 * that need history (docs/GUARANTEES.md):
 *
 * <ul>
 *   <li><b>No acknowledged change is lost</b> except as the logged loser of a real conflict: a write a
 *       sync settled (its pending row gone after the row was uploaded, and the server did not reject
 *       it; a rejection is reported, not acknowledged) must end in the consolidated database, be
 *       overwritten by a later write, or be the {@code remote_image} of a {@code ferry_conflict} entry
 *       of that remote.</li>
 *   <li><b>Conflicts are real</b>: an upload conflicts on a row only if someone else changed the
 *       consolidated row since the remote last agreed with it (same value, nothing pending). A conflict
 *       on a row nobody touched means the remote sent a wrong old image (or called an update an
 *       insert), and the policy then discards the application's change.</li>
 *   <li><b>Nothing is applied twice</b>: every consolidated write the audit trigger saw during a sync
 *       of a remote, and every conflict entry of that remote, belongs to a change (row, change_seq)
 *       that this sync uploaded, and no change has effects in two different steps.</li>
 * </ul>
 * Not thread-safe; one instance per try.
 */
final class SyncGuaranteeModel {
    /** A remote's pending row as {@code ferry_pending} shows it. */
    record Pending(String state, long changeSeq, String errorCode) {
    }

    /** A write by an application: {@code value} is the row afterwards (null: deleted), {@code changeSeq} its tracking number on a remote. */
    record Write(long seq, int step, String actor, RowKey key, List<String> value, Long changeSeq) {
        @Override
        public String toString() {
            return "write #" + seq + " (step " + step + ") by " + actor + ": " + key + " = " + (value == null ? "deleted" : value);
        }
    }

    /** A row of the consolidated audit table. */
    record AuditEntry(long seq, RowKey key, String op) {
    }

    /** A {@code ferry_conflict} row; {@code remoteImage} null when the remote deleted the row. */
    record ConflictEntry(long id, String remoteId, RowKey key, String kind, String outcome, List<String> remoteImage) {
        @Override
        public String toString() {
            return kind + " on " + key + " from " + remoteId + " (" + outcome + ", remote image " + remoteImage + ")";
        }
    }

    private record Change(RowKey key, long changeSeq) {
    }

    private final List<String> remoteIds;
    private Map<RowKey, List<String>> consolidated;
    private final Map<RowKey, Integer> version = new HashMap<>();
    private final List<Map<RowKey, Integer>> agreed = new ArrayList<>();
    private final List<Map<RowKey, Long>> capture = new ArrayList<>();
    private final List<Map<RowKey, Integer>> versionAtCapture = new ArrayList<>();
    private final List<Map<RowKey, Long>> highestSent = new ArrayList<>();
    private final List<Map<RowKey, Long>> rejectedUpTo = new ArrayList<>();
    private final List<Map<Change, Integer>> effectStep = new ArrayList<>();
    /** When a remote's change first reached the consolidated database (an upload carrying it committed), on {@link #clock}. */
    private final List<Map<Change, Long>> effectClock = new ArrayList<>();
    private final List<Map<RowKey, Write>> outstanding = new ArrayList<>();
    private final List<Write> writes = new ArrayList<>();
    private final List<Write> acknowledged = new ArrayList<>();
    /** When each write took effect on the consolidated side: a server write when made, a remote's when its upload committed. */
    private final Map<Write, Long> effective = new HashMap<>();
    private long clock;
    private final List<ConflictEntry> conflicts = new ArrayList<>();

    SyncGuaranteeModel(List<String> remoteIds, Map<RowKey, List<String>> consolidated) {
        this.remoteIds = remoteIds;
        this.consolidated = consolidated;
        for (RowKey k : RowKey.all()) {
            version.put(k, 0);
        }
        for (int i = 0; i < remoteIds.size(); i++) {
            agreed.add(new HashMap<>());
            capture.add(new HashMap<>());
            versionAtCapture.add(new HashMap<>());
            highestSent.add(new HashMap<>());
            rejectedUpTo.add(new HashMap<>());
            effectStep.add(new HashMap<>());
            effectClock.add(new HashMap<>());
            outstanding.add(new LinkedHashMap<>());
        }
    }

    /** The consolidated rows now; every row that changed since the last call gets a new version. */
    void consolidatedNow(Map<RowKey, List<String>> now) {
        for (RowKey k : RowKey.all()) {
            if (!Objects.equals(consolidated.get(k), now.get(k))) {
                version.merge(k, 1, Integer::sum);
            }
        }
        consolidated = now;
    }

    Map<RowKey, List<String>> consolidated() {
        return consolidated;
    }

    /** A write by the consolidated side's application (changes only). */
    void serverWrote(int step, RowKey key, List<String> value) {
        Write w = new Write(writes.size() + 1, step, "server", key, value, null);
        writes.add(w);
        effective.put(w, ++clock);
    }

    /** A write by the application of {@code remote}; {@code pending} is its pending row right after, if any. */
    void remoteWrote(int remote, int step, RowKey key, List<String> value, Pending pending) {
        Write w = new Write(writes.size() + 1, step, "R" + remote, key, value, pending == null ? null : pending.changeSeq());
        writes.add(w);
        outstanding.get(remote).put(key, w);
    }

    /**
     * Phase "upload" of {@code remote}: the rows it is about to mark and send, with the versions the
     * server has now. {@code sends} is false for a download-only exchange and for the probe that asks
     * about a lost answer: they carry no rows.
     */
    void uploading(int remote, Map<RowKey, Pending> pending, boolean sends) {
        Map<RowKey, Long> sent = new HashMap<>();
        if (sends) {
            pending.forEach((k, p) -> {
                if (!p.state().equals("error")) {
                    sent.put(k, p.changeSeq());
                }
            });
        }
        capture.set(remote, sent);
        versionAtCapture.set(remote, new HashMap<>(version));
    }

    /** The client died before the captured rows were marked: nothing of them left the remote. */
    void uploadAbandoned(int remote) {
        capture.set(remote, new HashMap<>());
    }

    /**
     * Consolidated writes and conflicts that appeared while {@code remote} synced (none of another
     * application's writes among them); {@code uploadCommitted}: the server committed an upload of
     * {@code remote} meanwhile (its progress counter moved), whether or not its answer arrived.
     */
    void syncEffects(int remote, int step, List<AuditEntry> audit, List<ConflictEntry> newConflicts, boolean uploadCommitted) {
        String id = remoteIds.get(remote);
        Map<RowKey, Long> sent = capture.get(remote);
        List<RowKey> touched = new ArrayList<>();
        audit.forEach(a -> touched.add(a.key()));
        for (ConflictEntry c : newConflicts) {
            if (!c.remoteId().equals(id)) {
                throw new AssertionError("a conflict of " + c.remoteId() + " appeared while R" + remote + " synced: " + c);
            }
            conflicts.add(c);
            touched.add(c.key());
            Integer base = agreed.get(remote).get(c.key());
            Integer atUpload = versionAtCapture.get(remote).get(c.key());
            if (base != null && base.equals(atUpload)) {
                throw new AssertionError("false conflict: R" + remote + "'s upload met " + c + ", but nobody changed " + c.key()
                        + " on the consolidated database since R" + remote + " last agreed with it (value " + consolidated.get(c.key())
                        + "); the remote sent a wrong old image or called an update an insert, and the policy discarded the application's change");
            }
        }
        for (RowKey k : touched) {
            Long seq = sent.get(k);
            if (seq == null) {
                throw new AssertionError("while R" + remote + " synced, " + k + " was written on the consolidated database (or met a conflict),"
                        + " but this sync did not upload it: an earlier upload applied again?");
            }
            Integer earlier = effectStep.get(remote).putIfAbsent(new Change(k, seq), step);
            if (earlier != null && earlier != step) {
                throw new AssertionError("applied twice: R" + remote + "'s change of " + k + " (change_seq " + seq + ") reached the consolidated"
                        + " database in step " + earlier + " and again in step " + step);
            }
        }
        if (uploadCommitted) {
            // Every sent change took effect now, also one the server found already in place (no write, no audit entry).
            sent.forEach((k, seq) -> effectClock.get(remote).putIfAbsent(new Change(k, seq), ++clock));
        }
        sent.forEach((k, seq) -> highestSent.get(remote).merge(k, seq, Math::max));
    }

    /**
     * Phase "apply-results" of {@code remote}: the server rejected these rows of the upload whose results
     * arrive now (this sync's upload, or an earlier one whose answer was lost). The changes sent for
     * them are refused, not acknowledged, whatever the remote does with them afterwards.
     */
    void rejected(int remote, List<RowKey> keys) {
        for (RowKey k : keys) {
            Long seq = capture.get(remote).containsKey(k) ? capture.get(remote).get(k) : highestSent.get(remote).get(k);
            if (seq != null) {
                rejectedUpTo.get(remote).merge(k, seq, Math::max);
            }
        }
    }

    /**
     * After a step: every outstanding write of {@code remote} whose pending row is gone was either
     * acknowledged (a sync settled it after uploading it, and the server did not reject it), refused, or
     * cancelled before it was ever sent (a local insert deleted again).
     */
    void settled(int remote, Map<RowKey, Pending> pending, boolean afterSync) {
        var it = outstanding.get(remote).entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (pending.containsKey(e.getKey())) {
                continue;
            }
            Write w = e.getValue();
            Long sent = highestSent.get(remote).get(w.key());
            Long refused = rejectedUpTo.get(remote).get(w.key());
            if (afterSync && w.changeSeq() != null && sent != null && sent >= w.changeSeq() && (refused == null || refused < w.changeSeq())) {
                acknowledged.add(w);
                effective.put(w, tookEffect(remote, w));
            }
            it.remove();
        }
    }

    /**
     * When an acknowledged write took effect: when the upload that carried it (its change or a later one
     * of the row) reached the consolidated database, which is earlier than its acknowledgement when
     * that upload's answer was lost; the acknowledgement when the audit saw no write of it.
     */
    private long tookEffect(int remote, Write w) {
        return effectClock.get(remote).entrySet().stream()
                .filter(e -> e.getKey().key().equals(w.key()) && e.getKey().changeSeq() >= w.changeSeq())
                .mapToLong(Map.Entry::getValue).min().orElseGet(() -> ++clock);
    }

    /** After a successful sync: the rows where {@code remote} and the consolidated database now agree. */
    void synced(int remote, Map<RowKey, List<String>> local, Map<RowKey, Pending> pending) {
        for (RowKey k : RowKey.all()) {
            if (!pending.containsKey(k) && Objects.equals(local.get(k), consolidated.get(k))) {
                agreed.get(remote).put(k, version.get(k));
            }
        }
    }

    /**
     * On the final consolidated rows: every acknowledged write is there, or was overwritten by a write
     * made after it or taking effect after it (another remote's change made earlier but uploaded
     * later wins without a conflict when the row is as that remote last saw it), or is a logged loser.
     */
    void checkNothingAcknowledgedLost() {
        for (Write w : acknowledged) {
            List<String> now = consolidated.get(w.key());
            if (Objects.equals(now, w.value())) {
                continue;
            }
            long tookEffect = effective.get(w);
            boolean overwritten = writes.stream().anyMatch(x -> x.key().equals(w.key()) && x != w
                    && (x.seq() > w.seq() || effective.getOrDefault(x, 0L) > tookEffect));
            String remoteId = remoteIds.get(Integer.parseInt(w.actor().substring(1)));
            boolean logged = conflicts.stream().anyMatch(c -> c.remoteId().equals(remoteId) && c.key().equals(w.key())
                    && Objects.equals(c.remoteImage(), w.value()));
            if (!overwritten && !logged) {
                throw new AssertionError("acknowledged change lost: " + w + " was settled as synced, but the consolidated database has "
                        + (now == null ? "no such row" : now) + ", no write made or taking effect later touched the row and no conflict logged it");
            }
        }
    }

    /** For failure messages. */
    String summary() {
        return "consolidated " + new TreeMap<>(consolidated) + "\nwrites " + writes + "\nacknowledged " + acknowledged + "\nconflicts " + conflicts;
    }
}
