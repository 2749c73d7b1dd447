package dev.ferry.core.error;

/**
 * How a value received from outside appears in an error message: at most {@value #MAX} characters,
 * control characters replaced, so a hostile 16 MiB value can neither blow up an error answer nor
 * forge log lines (issue 11). Stateless and thread-safe.
 */
public final class Shown {
    /** The most characters of a value an error message quotes. */
    public static final int MAX = 60;

    private Shown() {
    }

    /** {@code s} in single quotes, shortened (with its length) when longer than {@value #MAX}. */
    public static String quoted(String s) {
        if (s == null) {
            return "null";
        }
        String clean = (s.length() > MAX ? s.substring(0, MAX) : s).replaceAll("\\p{Cntrl}", "?");
        return s.length() > MAX ? "'" + clean + "...' (" + s.length() + " characters)" : "'" + clean + "'";
    }
}
