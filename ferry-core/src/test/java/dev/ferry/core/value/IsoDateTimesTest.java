package dev.ferry.core.value;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written timestamp form agrees with java.time's ISO_LOCAL_DATE_TIME on every value and every string. */
class IsoDateTimesTest {
    @Property(tries = 5000)
    void formatsExactlyAsTheJdk(@ForAll("timestamps") LocalDateTime t) {
        String fast = IsoDateTimes.format(t);
        assertThat(fast == null ? DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t) : fast).isEqualTo(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
        assertThat(IsoDateTimes.parse(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t))).isEqualTo(t.getYear() < 0 || t.getYear() > 9999 ? null : t);
    }

    @Property(tries = 5000)
    void parsesWhatTheJdkParsesAndNothingElse(@ForAll("nearlyTimestamps") String s) {
        LocalDateTime jdk;
        try {
            jdk = LocalDateTime.parse(s.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            jdk = null;
        }
        LocalDateTime fast = IsoDateTimes.parse(s);
        if (fast != null) {
            assertThat(fast).isEqualTo(jdk);
        }
    }

    @Property(tries = 2000)
    void readsEveryFractionWidth(@ForAll @IntRange(min = 1, max = 9) int width, @ForAll @IntRange(min = 0, max = 999_999_999) int nanos) {
        String fraction = String.format("%09d", nanos).substring(0, width);
        String s = "2026-12-03T08:15:30." + fraction;
        assertThat(IsoDateTimes.parse(s)).isEqualTo(LocalDateTime.parse(s));
    }

    @Example
    void leavesInvalidDatesToTheFormatterSoItCanSayWhy() {
        assertThat(IsoDateTimes.parse("2026-02-30T00:00:00")).isNull();
        assertThat(IsoDateTimes.parse("2026-13-01 00:00:00")).isNull();
        assertThat(IsoDateTimes.parse("2026-01-01T00:00")).isNull();
        assertThat(IsoDateTimes.parse("2026-01-01T00:00:00Z")).isNull();
        assertThat(IsoDateTimes.parse("+2026-01-01T00:00:00")).isNull();
        assertThat(IsoDateTimes.parse("2026-01-01 10:20:30.5")).isEqualTo(LocalDateTime.of(2026, 1, 1, 10, 20, 30, 500_000_000));
    }

    @Provide
    Arbitrary<LocalDateTime> timestamps() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(LocalDateTime.of(-200, 1, 1, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC),
                LocalDateTime.of(12000, 1, 1, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC));
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999).map(m -> m * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(u -> u * 1000), Arbitraries.integers().between(0, 999_999_999));
        return net.jqwik.api.Combinators.combine(seconds, nanos).as((s, n) -> LocalDateTime.ofEpochSecond(s, n, java.time.ZoneOffset.UTC));
    }

    @Provide
    Arbitrary<String> nearlyTimestamps() {
        Arbitrary<String> valid = timestamps().map(t -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
        // Mutate one character of a valid form: digits, separators, anything.
        return Arbitraries.oneOf(valid, net.jqwik.api.Combinators.combine(valid, Arbitraries.integers().between(0, 28),
                Arbitraries.of('0', '9', '5', '-', ':', 'T', ' ', '.', 'x', '+')).as((s, i, c) -> {
            int at = Math.min(i, s.length() - 1);
            return s.substring(0, at) + c + s.substring(at + 1);
        }));
    }
}
