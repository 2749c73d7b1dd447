package dev.ferry.core;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.value.Values;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {
    @Test
    void decimalsKeepTheirExactDigits() {
        Object v = Values.parse(FerryType.DECIMAL, "19.99");
        assertThat(Values.format(FerryType.DECIMAL, v)).isEqualTo("19.99");
        assertThat(Values.canonical(FerryType.DECIMAL, "19.90")).isEqualTo(new BigDecimal("19.90"));
        assertThat(Values.equal(FerryType.DECIMAL, new BigDecimal("19.9"), new BigDecimal("19.90"))).isTrue();
    }

    @Test
    void everyTypeRoundTripsThroughItsTextForm() {
        Object[][] cases = {
                {FerryType.BIGINT, Long.MIN_VALUE}, {FerryType.SMALLINT, -32768L}, {FerryType.DECIMAL, new BigDecimal("-0.0001")},
                {FerryType.REAL, 0.1f}, {FerryType.DOUBLE, 0.30000000000000004}, {FerryType.TEXT, "héllo ✓ 😀 漢字\u0000end"},
                {FerryType.BOOLEAN, true}, {FerryType.DATE, LocalDate.of(1900, 1, 1)}, {FerryType.TIME, LocalTime.of(23, 59, 59, 999_999_000)},
                {FerryType.TIMESTAMP, LocalDateTime.of(2024, 2, 29, 12, 0, 0, 123_456_000)},
                {FerryType.TIMESTAMPTZ, OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 1_000, ZoneOffset.UTC)},
                {FerryType.UUID, UUID.fromString("123e4567-e89b-12d3-a456-426614174000")}, {FerryType.BINARY, new byte[]{0, 1, -1, 0}},
                {FerryType.JSON, "{\"a\": [1, 2]}"},
        };
        for (Object[] c : cases) {
            FerryType t = (FerryType) c[0];
            Object back = Values.parse(t, Values.format(t, c[1]));
            assertThat(Values.equal(t, c[1], back)).as(t.name()).isTrue();
        }
    }

    @Test
    void timestampWithOffsetIsNormalizedToTheSameInstantInUtc() {
        OffsetDateTime v = (OffsetDateTime) Values.parse(FerryType.TIMESTAMPTZ, "2024-05-01T10:00:00+02:00");
        assertThat(v.getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(Values.format(FerryType.TIMESTAMPTZ, v)).isEqualTo("2024-05-01T08:00:00Z");
    }

    @Test
    void acceptsWhatApplicationsTypeIntoSqlite() {
        assertThat(Values.parse(FerryType.TIMESTAMP, "2024-05-01 10:00:00")).isEqualTo(LocalDateTime.of(2024, 5, 1, 10, 0));
        assertThat(Values.canonical(FerryType.BOOLEAN, 1)).isEqualTo(true);
        assertThat(Values.canonical(FerryType.INTEGER, 7)).isEqualTo(7L);
    }

    @Test
    void garbageIsRejectedWithTheValueAndType() {
        assertThatThrownBy(() -> Values.parse(FerryType.DATE, "yesterday"))
                .isInstanceOf(FerryException.class).hasMessageContaining("yesterday").hasMessageContaining("DATE")
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.ROW_INVALID_VALUE));
        assertThatThrownBy(() -> Values.canonical(FerryType.BIGINT, new BigDecimal("1.5")))
                .isInstanceOf(FerryException.class);
    }

    @Test
    void jsonIsEqualAsJsonWhateverEachDatabaseDidToItsText() {
        // PostgreSQL jsonb and H2 spell the same document differently; neither difference is a change.
        assertThat(Values.equal(FerryType.JSON, "{\"b\": [1, 2.50], \"a\": {\"x\": null}}", "{\"a\":{\"x\":null},\"b\":[1,2.5]}")).isTrue();
        assertThat(Values.equal(FerryType.JSON, "{\"a\": 1}", "{\"a\": 2}")).isFalse();
        assertThat(Values.equal(FerryType.JSON, "[1, 2]", "[2, 1]")).as("array order matters").isFalse();
        assertThat(Values.equal(FerryType.JSON, "{\"a\": \"1\"}", "{\"a\": 1}")).as("a string is not a number").isFalse();
        assertThat(Values.equal(FerryType.JSON, "not json", "not json")).isTrue();
        assertThat(Values.equal(FerryType.JSON, "not json", "not  json")).isFalse();
    }

    @Test
    void onlyThe8_4_4_4_12FormIsAUuidSoNoSpellingIsStoredAsAnotherValue() {
        UUID u = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(Values.parse(FerryType.UUID, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")).isEqualTo(u);
        for (String bad : new String[] {"1-2-3-4-5", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11x"}) {
            assertThatThrownBy(() -> Values.parse(FerryType.UUID, bad)).as(bad)
                    .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROW_INVALID_VALUE));
        }
    }

    @Test
    void anInvalidValueIsQuotedShortenedInTheMessage() {
        String huge = "x".repeat(1_000_000);
        assertThatThrownBy(() -> Values.parse(FerryType.DATE, huge)).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.getMessage()).hasSizeLessThan(200).contains("1000000 characters"));
    }
}
