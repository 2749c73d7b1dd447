package dev.ferry.dialect.remote;

/**
 * Writes JSON strings exactly as SQLite's JSON1 functions do ({@code json_quote}, {@code json_array},
 * {@code json_object}): {@code "} and {@code \} escaped, control characters as {@code \b \f \n \r \t}
 * or {@code \}{@code u00xx} (lower-case hex), everything else (non-ASCII included) as-is. Keeping one
 * escaping convention means a key or image written by Java (H2 trigger) and one written by SQL (SQLite
 * trigger) look alike. Stateless.
 */
public final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** The JSON string literal for {@code s}, quotes included. */
    public static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendString(sb, s);
        return sb.toString();
    }

    /** Appends the JSON string literal for {@code s}, quotes included. */
    public static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append("\\u00").append(HEX[ch >> 4]).append(HEX[ch & 0xf]);
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}
