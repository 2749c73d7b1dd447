package dev.ferry.bench;

import java.time.Duration;

/** The one division every ratio in the table goes through, so a zero or missing time never prints Infinity. */
final class Ratios {
    private Ratios() {
    }

    /** {@code numerator / denominator}, or null when either is missing or the denominator is zero. */
    static Double of(Duration numerator, Duration denominator) {
        if (numerator == null || denominator == null || denominator.isZero()) {
            return null;
        }
        return (double) numerator.toNanos() / denominator.toNanos();
    }
}
