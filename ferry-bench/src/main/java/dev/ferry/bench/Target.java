package dev.ferry.bench;

import java.util.Locale;

/**
 * A target of issue 12 for one row's ratio. The text says which way the ratio points ("time" ratios
 * are Ferry's time over the baseline's, lower is better; "rate" and "speed" ratios are Ferry's rate over
 * the baseline's, higher is better), so the printed table reads without the docs. Immutable.
 */
record Target(String text, Direction direction, double limit) {

    /** Which side of the limit meets the target. */
    enum Direction { AT_MOST, AT_LEAST }

    /** Ferry's time at most {@code limit} times the baseline's. */
    static Target timeAtMost(double limit) {
        return new Target(String.format(Locale.ROOT, "time <= %.1fx", limit), Direction.AT_MOST, limit);
    }

    /** Ferry's rate (rows per second) at least {@code limit} times the baseline's. */
    static Target rateAtLeast(double limit) {
        return new Target(String.format(Locale.ROOT, "rate >= %.1fx", limit), Direction.AT_LEAST, limit);
    }

    /** Ferry at least {@code limit} times as fast as a recorded figure. */
    static Target speedAtLeast(double limit) {
        return new Target(String.format(Locale.ROOT, "speed >= %.0fx", limit), Direction.AT_LEAST, limit);
    }

    /** A target that is not one ratio (many remotes: failures, p99 and throughput); its row says whether it was met. */
    static Target described(String text) {
        return new Target(text, null, Double.NaN);
    }

    /** Whether {@code ratio} meets this target; null when the target is not a ratio or there is no ratio. */
    Boolean met(Double ratio) {
        if (direction == null || ratio == null || ratio.isNaN()) {
            return null;
        }
        return direction == Direction.AT_MOST ? ratio <= limit : ratio >= limit;
    }
}
