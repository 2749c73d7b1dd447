package dev.ferry.server.partition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A publication filter made ready to run: its {@code :name} parameters replaced by {@code ?} (in the
 * order they appear; the values are always bound, never spliced), and the identifiers it uses, to
 * find the tables it reads. Text inside string literals ({@code '...'}), quoted identifiers
 * ({@code "..."}, {@code `...`}) and PostgreSQL casts ({@code ::type}) is left alone. The filter text
 * itself is trusted operator configuration. Immutable.
 */
public record FilterSql(String text, String sql, List<String> parameters, Set<String> identifiers, Set<String> fromTables) {
    public FilterSql {
        parameters = List.copyOf(parameters);
        identifiers = Collections.unmodifiableSet(new LinkedHashSet<>(identifiers));
        fromTables = Collections.unmodifiableSet(new LinkedHashSet<>(fromTables));
    }

    public static FilterSql parse(String text) {
        StringBuilder sql = new StringBuilder();
        List<String> params = new ArrayList<>();
        Set<String> idents = new LinkedHashSet<>();
        Set<String> from = new LinkedHashSet<>();
        String previousWord = "";
        int i = 0;
        int n = text.length();
        while (i < n) {
            char ch = text.charAt(i);
            if (ch == '\'' || ch == '"' || ch == '`') {
                int end = closing(text, i, ch);
                String quoted = text.substring(i, end);
                sql.append(quoted);
                if (ch != '\'') {
                    String name = quoted.substring(1, Math.max(1, quoted.length() - 1));
                    idents.add(name.toLowerCase(Locale.ROOT));
                    if (previousWord.equals("from") || previousWord.equals("join")) {
                        from.add(name.toLowerCase(Locale.ROOT));
                    }
                    previousWord = name.toLowerCase(Locale.ROOT);
                }
                i = end;
            } else if (ch == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
                sql.append("::");
                i += 2;
            } else if (ch == ':' && i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                    end++;
                }
                params.add(text.substring(i + 1, end));
                sql.append('?');
                i = end;
            } else if (Character.isLetter(ch) || ch == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_' || text.charAt(end) == '$')) {
                    end++;
                }
                String word = text.substring(i, end).toLowerCase(Locale.ROOT);
                idents.add(word);
                if (previousWord.equals("from") || previousWord.equals("join")) {
                    from.add(word);
                }
                previousWord = word;
                sql.append(text, i, end);
                i = end;
            } else {
                if (ch == ',' && from.contains(previousWord)) {
                    // FROM a, b: the word after the comma is a table too.
                    previousWord = "from";
                } else if (!Character.isWhitespace(ch) && ch != '.') {
                    previousWord = "";
                }
                sql.append(ch);
                i++;
            }
        }
        return new FilterSql(text, sql.toString(), params, idents, from);
    }

    /** The index just after the literal or quoted identifier that starts at {@code start} (doubled quotes escape). */
    private static int closing(String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return text.length();
    }
}
