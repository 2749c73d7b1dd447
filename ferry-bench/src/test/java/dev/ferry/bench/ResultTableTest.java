package dev.ferry.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResultTableTest {
    private static final ServerMemory MEMORY = new ServerMemory(100L << 20, 20L << 20, 300L << 20);

    @Test
    void timeRatioIsFerryOverBaselineAndLowerMeetsAnAtMostTarget() {
        Result r = Result.timed("upload-insert", "postgresql", Duration.ofSeconds(3), "JDBC", Duration.ofSeconds(2), Target.timeAtMost(1.0),
                20_000, MEMORY, null);

        assertThat(r.ratio()).isEqualTo(1.5);
        assertThat(r.met()).isFalse();
        assertThat(r.rate()).isCloseTo(6666.67, org.assertj.core.data.Offset.offset(0.01));
        assertThat(Result.timed("x", "h2", Duration.ofSeconds(1), "JDBC", Duration.ofSeconds(2), Target.timeAtMost(1.0), 1, MEMORY, null).met())
                .isTrue();
    }

    @Test
    void rateRatioIsFerryRateOverBaselineRateSoHigherMeetsAnAtLeastTarget() {
        // tracked writes took 4 s, untracked 1 s: the tracked rate is a quarter of the untracked one
        Result r = Result.rated("capture-insert", "sqlite", Duration.ofSeconds(4), "untracked", Duration.ofSeconds(1), Target.rateAtLeast(0.5),
                1000, ServerMemory.NONE, null);

        assertThat(r.ratio()).isEqualTo(0.25);
        assertThat(r.met()).isFalse();
        assertThat(Target.rateAtLeast(0.5).met(0.5)).isTrue();
    }

    @Test
    void aMissingOrZeroBaselineGivesNoRatioRatherThanInfinity() {
        assertThat(Ratios.of(Duration.ofSeconds(1), Duration.ZERO)).isNull();
        assertThat(Ratios.of(null, Duration.ofSeconds(1))).isNull();
        assertThat(Target.timeAtMost(1.0).met(null)).isNull();
    }

    @Test
    void rendersAlignedColumnsAndAFailedRowWithItsReason() {
        String table = ResultTable.render(List.of(
                Result.timed("upload-insert", "postgresql", Duration.ofMillis(2500), "JDBC batch", Duration.ofMillis(500), Target.timeAtMost(1.0),
                        10_000, MEMORY, "note"),
                Result.failed("download-first", "mariadb", Target.timeAtMost(1.5), "the server exited 6 at start")));
        List<String> lines = table.lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("scenario").contains("Ferry", "baseline time", "ratio", "peak heap", "peak RSS");
        assertThat(lines.get(2)).contains("2.50 s", "500 ms", "5.00x", "time <= 1.0x", "NO", "4,000 rows/s", "100 MB", "20 MB", "300 MB");
        assertThat(lines.get(3)).contains("FAILED", "FAILED: the server exited 6 at start", "time <= 1.5x");
        // every column starts at the same offset on every line
        int ratioColumn = lines.get(0).indexOf("ratio");
        assertThat(lines.get(2).substring(ratioColumn)).startsWith("5.00x");
        assertThat(lines.get(3).substring(ratioColumn)).startsWith("-");
    }

    @Test
    void onlyAnUploadBeyondTheDefaultLimitsRaisesThem() {
        assertThat(MemoryScenario.limitsFor(Sizes.DEFAULT.memoryUploadRows())).isEmpty();
        assertThat(MemoryScenario.limitsFor(Sizes.FULL.memoryUploadRows()))
                .containsEntry("FERRY_LIMITS_ROWS_PER_UPLOAD", "5000000")
                .containsEntry("FERRY_LIMITS_REQUEST_BYTES", "1000000000");
    }

    @Test
    void scaleMultipliesTheSizesButKeepsAtLeastOneOfEverything() {
        Sizes tiny = Sizes.DEFAULT.scaled(0.00001);

        assertThat(tiny.uploadRows()).isEqualTo(1);
        assertThat(tiny.concurrency()).isLessThanOrEqualTo(tiny.remotes());
        assertThat(BenchOptions.parse("--full", "--scale", "2").sizes().downloadRows()).isEqualTo(2_000_000);
        assertThat(BenchOptions.parse("--only", "upload", "--databases", "h2").databases()).containsExactly(ConsolidatedKind.H2);
    }
}
