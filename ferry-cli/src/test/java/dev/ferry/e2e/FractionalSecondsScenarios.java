package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 12: a temporal column holding fewer fractional-second digits than a remote sends
 * (MariaDB datetime(3) cuts the rest off, PostgreSQL timestamp(3) rounds it) rejects that row with a
 * reason, applies the others, and stores nothing cut or rounded.
 */
abstract class FractionalSecondsScenarios {
    private RunningFerry ferry;

    abstract String consolidatedKind();

    /**
     * DDL of {@code reading}: {@code id} integer key, {@code at} a TIMESTAMP holding 3 fractional digits,
     * {@code at_tz} a TIMESTAMPTZ holding 3, {@code t} a TIME holding none.
     */
    abstract String readingTable();

    @AfterEach
    void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        }
    }

    @Test
    void aValueWithMoreFractionalDigitsThanItsColumnHoldsRejectsItsRowAndNothingIsCutOff() throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        cons.jdbc(readingTable());
        ferry = RunningFerry.start(cons, null, Map.of());
        RemoteFixture a = ferry.remote("sqlite", "sensor-a");
        RemoteFixture b = ferry.remote("sqlite", "sensor-b");
        RunningFerry.sync(a);
        RunningFerry.sync(b);

        a.app("INSERT INTO reading VALUES (1, '2024-01-01T12:00:00.123', '2024-01-01T12:00:00.5Z', '12:00:01'),"
                + " (2, '2024-01-01T12:00:00.123456', NULL, '12:00:01'),"
                + " (3, '2024-01-01T12:00:00.123', '2024-01-01T12:00:00.1234Z', '12:00:01'),"
                + " (4, '2024-01-01T12:00:00.123', NULL, '12:00:01.5'),"
                + " (5, '2024-01-01T12:00:00.120000', '2024-01-01T12:00:00Z', '12:00:02.000');");
        Cli.Result res = RunningFerry.sync(a);
        assertThat(SyncScenarios.counts(res, "reading")).containsExactly(5L, 0L, 3L, 0L);
        assertThat(cons.query("SELECT id FROM reading ORDER BY id")).as("nothing cut off or rounded is stored")
                .containsExactly(List.of("1"), List.of("5"));
        assertThat(cons.query("SELECT id FROM reading WHERE at = '2024-01-01 12:00:00.123'")).containsExactly(List.of("1"));
        assertThat(cons.query("SELECT id FROM reading WHERE at = '2024-01-01 12:00:00.12'")).containsExactly(List.of("5"));

        List<List<String>> errors = a.query("SELECT pk, error_code, error_message FROM ferry_row_state WHERE state = 'error' ORDER BY pk");
        assertThat(errors).extracting(e -> e.subList(0, 2)).containsExactly(List.of("[2]", "ROW_VALUE_OUT_OF_RANGE"),
                List.of("[3]", "ROW_VALUE_OUT_OF_RANGE"), List.of("[4]", "ROW_VALUE_OUT_OF_RANGE"));
        assertThat(errors.get(0).get(2)).contains("value 2024-01-01T12:00:00.123456 of reading.at")
                .contains("more fractional-second digits than the column holds (TIMESTAMP(3): 3 digits)");
        assertThat(errors.get(1).get(2)).contains("2024-01-01T12:00:00.1234Z").contains("reading.at_tz").contains("TIMESTAMPTZ(3)");
        assertThat(errors.get(2).get(2)).contains("12:00:01.500").contains("reading.t").contains("TIME(0): 0 digits");

        RunningFerry.sync(b);
        assertThat(b.query("SELECT id, at, at_tz, t FROM reading ORDER BY id")).containsExactly(
                List.of("1", "2024-01-01T12:00:00.123", "2024-01-01T12:00:00.5Z", "12:00:01"),
                List.of("5", "2024-01-01T12:00:00.12", "2024-01-01T12:00:00Z", "12:00:02"));

        // Fixed by the application, the rows go up with the next sync.
        a.app("UPDATE reading SET at = '2024-01-01T12:00:00.124' WHERE id = 2; UPDATE reading SET at_tz = NULL WHERE id = 3;"
                + " UPDATE reading SET t = '12:00:01' WHERE id = 4;");
        assertThat(SyncScenarios.counts(RunningFerry.sync(a), "reading")).containsExactly(3L, 0L, 0L, 0L);
        assertThat(cons.query("SELECT COUNT(*) FROM reading")).containsExactly(List.of("5"));
    }
}
