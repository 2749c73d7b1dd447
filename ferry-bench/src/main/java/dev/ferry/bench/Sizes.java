package dev.ferry.bench;

/**
 * How much work each scenario does. {@link #DEFAULT} runs in a few minutes on a 2-core machine,
 * {@link #FULL} is issue 12's workload; {@link #scaled} multiplies either (at least one of everything).
 * Immutable.
 *
 * @param uploadRows        rows inserted on the remote for upload-insert (half updated, half deleted for upload-mixed)
 * @param downloadRows      rows in the consolidated table for download-first
 * @param incrementalRows   rows changed on the consolidated side for download-incremental
 * @param remotes           remotes of the many-remotes scenario
 * @param concurrency       of them syncing at once
 * @param deltaRows         rows each of them uploads
 * @param memoryUploadRows  rows of the memory scenario's large upload
 * @param captureRows       rows inserted, updated and deleted by the capture-overhead scenarios
 */
record Sizes(int uploadRows, int downloadRows, int incrementalRows, int remotes, int concurrency, int deltaRows,
             int memoryUploadRows, int captureRows) {

    static final Sizes DEFAULT = new Sizes(20_000, 100_000, 10_000, 100, 50, 10, 100_000, 20_000);
    static final Sizes FULL = new Sizes(100_000, 1_000_000, 10_000, 1_000, 200, 10, 5_000_000, 100_000);

    Sizes scaled(double factor) {
        return new Sizes(scale(uploadRows, factor), scale(downloadRows, factor), Math.min(scale(incrementalRows, factor), scale(downloadRows, factor)),
                scale(remotes, factor), Math.min(scale(concurrency, factor), scale(remotes, factor)), deltaRows,
                scale(memoryUploadRows, factor), scale(captureRows, factor));
    }

    private static int scale(int n, double factor) {
        return (int) Math.max(1, Math.round(n * factor));
    }
}
