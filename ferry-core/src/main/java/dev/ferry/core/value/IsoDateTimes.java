package dev.ferry.core.value;

import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * The plain ISO form of a timestamp, {@code yyyy-MM-ddTHH:mm:ss[.f...]} (a space for the {@code T}
 * too), read and written by hand, because {@code java.time}'s formatter costs more than the rest of a
 * row put together (about a third of the server's CPU on an upload, issue 12). Anything else (other
 * years, offsets, missing seconds) is left to the formatter: {@link #parse} returns null for it, and
 * {@link #format} writes exactly what {@code ISO_LOCAL_DATE_TIME} writes.
 */
final class IsoDateTimes {
    private IsoDateTimes() {
    }

    /** The timestamp, or null when {@code s} is not in the plain form (or is no valid date: the formatter then says why). */
    static LocalDateTime parse(String s) {
        int n = s.length();
        if (n < 19 || n == 20 || n > 29 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':' || s.charAt(16) != ':' || (n > 19 && s.charAt(19) != '.')) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = 0;
        if (n > 19) {
            int fraction = digits(s, 20, n);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = n - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** As {@code DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t)}. */
    static String format(LocalDateTime t) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return null;
        }
        StringBuilder b = new StringBuilder(29);
        pad(b, year, 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            // ISO_LOCAL_TIME prints the fraction without trailing zeros.
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                width--;
            }
            b.append('.');
            pad(b, nanos, width);
        }
        return b.toString();
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static StringBuilder pad(StringBuilder b, int v, int width) {
        String digits = Integer.toString(v);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }
}
