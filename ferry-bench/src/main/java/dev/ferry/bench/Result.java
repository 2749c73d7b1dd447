package dev.ferry.bench;

import java.time.Duration;

/**
 * One row of the bench table. Times are null where the row has none (a failed run, a scenario
 * without a baseline); {@code failure} non-null makes the row print {@code FAILED} with the reason.
 * Immutable.
 *
 * @param ratio      as the target reads it (see {@link Target}); null when there is none
 * @param rows       rows Ferry moved (or syncs, for many remotes), for the rate column; 0 for none
 * @param rateUnit   what {@code rows} counts, e.g. "rows/s" or "syncs/s"
 */
record Result(String scenario, String database, Duration ferry, String baselineName, Duration baseline, Double ratio,
              Target target, Boolean met, long rows, String rateUnit, ServerMemory memory, String note, String failure) {

    /** A row whose ratio is Ferry's time over the baseline's. */
    static Result timed(String scenario, String database, Duration ferry, String baselineName, Duration baseline, Target target,
                        long rows, ServerMemory memory, String note) {
        Double ratio = baseline == null ? null : Ratios.of(ferry, baseline);
        return new Result(scenario, database, ferry, baselineName, baseline, ratio, target, target.met(ratio), rows, "rows/s",
                memory, note, null);
    }

    /** A row comparing rates: both sides did {@code rows} operations, ratio = Ferry's rate over the baseline's. */
    static Result rated(String scenario, String database, Duration ferry, String baselineName, Duration baseline, Target target,
                        long rows, ServerMemory memory, String note) {
        Double ratio = Ratios.of(baseline, ferry);
        return new Result(scenario, database, ferry, baselineName, baseline, ratio, target, target.met(ratio), rows, "rows/s",
                memory, note, null);
    }

    /** A row that could not be measured: the table prints FAILED and the reason. */
    static Result failed(String scenario, String database, Target target, String reason) {
        return new Result(scenario, database, null, null, null, null, target, false, 0, "rows/s", ServerMemory.NONE, null, reason);
    }

    /** Rows per second Ferry achieved, or null. */
    Double rate() {
        if (ferry == null || rows <= 0 || ferry.isZero()) {
            return null;
        }
        return rows / (ferry.toNanos() / 1e9);
    }
}
