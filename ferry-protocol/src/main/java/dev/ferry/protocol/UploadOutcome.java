package dev.ferry.protocol;

import java.util.List;
import java.util.Map;

/**
 * What the server did with an upload.
 *
 * @param number        the upload's number, which is the remote's new progress counter
 * @param alreadyApplied true when this reports an earlier upload whose acknowledgement the remote lost
 * @param applied       rows applied
 * @param rejected      rows not applied, with reasons
 * @param conflicts     conflicts resolved, per table
 * @param retries       times the whole upload was rolled back and applied again (deadlocks)
 * @param uploadTime    the consolidated database's clock read after the upload committed (ISO-8601 UTC): no
 *                      snapshot begun after this time can miss the upload, which is what a download
 *                      file's creation-time check relies on
 */
public record UploadOutcome(long number, boolean alreadyApplied, long applied, List<RejectedRow> rejected,
                            Map<String, Long> conflicts, int retries, String uploadTime) {
    public UploadOutcome {
        rejected = List.copyOf(rejected);
        conflicts = Map.copyOf(conflicts);
    }

    public UploadOutcome withUploadTime(String time) {
        return new UploadOutcome(number, alreadyApplied, applied, rejected, conflicts, retries, time);
    }
}
