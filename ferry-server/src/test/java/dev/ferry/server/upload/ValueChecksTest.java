package dev.ferry.server.upload;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 10: values a column cannot hold exactly, and keys the database would take for other keys, are rejected per row. */
class ValueChecksTest {
    private static final TableDef READING = new TableDef("reading", List.of(
            ColumnDef.of("id", FerryType.INTEGER, false),
            new ColumnDef("at", FerryType.TIMESTAMP, true, null, 3, null),
            new ColumnDef("at_tz", FerryType.TIMESTAMPTZ, true, null, 2, null),
            new ColumnDef("t", FerryType.TIME, true, null, 0, null),
            ColumnDef.of("at_micro", FerryType.TIMESTAMP, true)), List.of("id"), List.of());

    private static final TableDef TAG = new TableDef("tag", List.of(
            new ColumnDef("code", FerryType.TEXT, false, 5, null, null, true),
            new ColumnDef("label", FerryType.TEXT, true, 5, null, null, true)), List.of("code"), List.of());

    private static Object[] reading(LocalDateTime at, OffsetDateTime atTz, LocalTime t, LocalDateTime atMicro) {
        return new Object[] {1L, at, atTz, t, atMicro};
    }

    @Test
    void aTimestampWithMoreFractionalDigitsThanItsColumnHoldsIsRejectedNamingColumnValueAndPrecision() {
        assertThatThrownBy(() -> ValueChecks.check(READING, reading(LocalDateTime.of(2024, 1, 1, 12, 0, 0, 123_456_000), null, null, null)))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ROW_VALUE_OUT_OF_RANGE);
                    assertThat(e.getMessage()).isEqualTo("value 2024-01-01T12:00:00.123456 of reading.at has more fractional-second digits"
                            + " than the column holds (TIMESTAMP(3): 3 digits); the database would round or cut off the rest");
                });
    }

    @Test
    void everyTemporalTypeIsCheckedAgainstItsOwnPrecisionAndMicrosecondsAreTheMost() {
        assertThatThrownBy(() -> ValueChecks.check(READING, reading(null, OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 125_000_000, ZoneOffset.UTC), null, null)))
                .hasMessageContaining("reading.at_tz").hasMessageContaining("TIMESTAMPTZ(2): 2 digits");
        assertThatThrownBy(() -> ValueChecks.check(READING, reading(null, null, LocalTime.of(12, 0, 0, 500_000_000), null)))
                .hasMessageContaining("reading.t").hasMessageContaining("TIME(0): 0 digits");
        assertThatThrownBy(() -> ValueChecks.check(READING, reading(null, null, null, LocalDateTime.of(2024, 1, 1, 12, 0, 0, 123_456_700))))
                .as("nanoseconds exceed what any Ferry column holds").hasMessageContaining("TIMESTAMP: 6 digits");
    }

    @Test
    void valuesWithinThePrecisionPassTrailingZerosIncluded() {
        assertThatCode(() -> ValueChecks.check(READING, reading(LocalDateTime.of(2024, 1, 1, 12, 0, 0, 120_000_000),
                OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 990_000_000, ZoneOffset.ofHours(2)), LocalTime.NOON,
                LocalDateTime.of(2024, 1, 1, 12, 0, 0, 123_456_000)))).doesNotThrowAnyException();
    }

    @Test
    void aPaddedKeyEndingInASpaceIsRejectedBecauseTheDatabaseWouldTakeItForTheKeyWithoutIt() {
        assertThatThrownBy(() -> ValueChecks.check(TAG, new Object[] {"ab ", "x"}))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ROW_INVALID_VALUE);
                    assertThat(e.getMessage()).isEqualTo("key 'ab ' of tag.code ends in a space, which the database ignores in this column:"
                            + " it would be the row with key 'ab'");
                });
        assertThatCode(() -> ValueChecks.check(TAG, new Object[] {"ab", "x "})).as("outside the key a trailing space is only padding")
                .doesNotThrowAnyException();
        assertThatCode(() -> ValueChecks.check(TAG, new Object[] {" ab", "x"})).as("leading spaces count").doesNotThrowAnyException();
    }

    private static final TableDef PRICE = new TableDef("price", List.of(
            ColumnDef.of("id", FerryType.INTEGER, false),
            new ColumnDef("amount", FerryType.DECIMAL, true, null, 12, 2),
            ColumnDef.of("free", FerryType.DECIMAL, true),
            ColumnDef.of("day", FerryType.DATE, true)), List.of("id"), List.of());

    @Test
    void aDecimalWithAHugeExponentIsRejectedByItsDigitCountWithoutExpandingItAndTheMessageStaysShort() {
        for (String huge : List.of("1e100000000", "-1e100000000", "1e-100000000")) {
            for (int column : new int[] {1, 2}) {
                Object[] row = {1L, null, null, null};
                row[column] = new java.math.BigDecimal(huge);
                assertThatThrownBy(() -> ValueChecks.check(PRICE, row)).as(huge)
                        .isInstanceOfSatisfying(FerryException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.ROW_VALUE_OUT_OF_RANGE);
                            assertThat(e.getMessage()).hasSizeLessThan(300);
                        });
            }
        }
        assertThatCode(() -> ValueChecks.check(PRICE, new Object[] {1L, new java.math.BigDecimal("1.2E+9"), new java.math.BigDecimal("1e1000"), null}))
                .doesNotThrowAnyException();
    }

    @Test
    void aDateOutsideYears1To9999IsRejected() {
        for (java.time.LocalDate d : List.of(java.time.LocalDate.of(0, 6, 1), java.time.LocalDate.of(10_000, 1, 1), java.time.LocalDate.of(-4713, 1, 1))) {
            assertThatThrownBy(() -> ValueChecks.check(PRICE, new Object[] {1L, null, null, d})).as(d.toString())
                    .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROW_VALUE_OUT_OF_RANGE));
        }
        assertThatCode(() -> ValueChecks.check(PRICE, new Object[] {1L, null, null, java.time.LocalDate.of(9999, 12, 31)})).doesNotThrowAnyException();
        assertThatCode(() -> ValueChecks.check(PRICE, new Object[] {1L, null, null, java.time.LocalDate.of(1, 1, 1)})).doesNotThrowAnyException();
    }
}
