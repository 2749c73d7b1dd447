package dev.ferry.dialect.jdbc;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ColumnGeneration;
import dev.ferry.core.value.Values;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a column's declared default ({@code COLUMN_DEF} of the metadata) as a constant Ferry can give
 * the remotes, in its canonical text form: a quoted string ({@code 'new'}, PostgreSQL's
 * {@code 'new'::character varying}), a number ({@code 0}, {@code (-1)}, {@code 1.50}), a boolean
 * ({@code true}, {@code b'1'}). Anything else (a function such as {@code now()}, a sequence, an
 * expression) is no constant: a remote could not evaluate it to what the server would, so it gets none.
 * Only the types whose text form every remote writes the same way take one (not JSON, binary or
 * TIMESTAMPTZ), and never a column the database fills itself.
 */
final class ConstantDefault {
    /** A literal, then any number of PostgreSQL casts ({@code ::character varying}, {@code ::"char"}). */
    private static final Pattern CASTS = Pattern.compile("^(.*?)(::[a-zA-Z_\" ][a-zA-Z0-9_\" ()\\[\\],]*)+$", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?$");
    private static final Pattern BIT = Pattern.compile("^[bB]'([01]+)'$");
    /** H2 writes date and time defaults as typed literals. */
    private static final Pattern TYPED = Pattern.compile("^(?i:DATE|TIME|TIMESTAMP) ('.*')$", Pattern.DOTALL);

    private ConstantDefault() {
    }

    /** The canonical text of {@code declared} for {@code column}, or null when it is not a constant Ferry carries. */
    static String of(String declared, ColumnDef column) {
        if (declared == null || column.generation() != ColumnGeneration.NONE) {
            return null;
        }
        switch (column.type()) {
            case JSON, BINARY, TIMESTAMPTZ -> {
                return null;
            }
            default -> {
            }
        }
        String literal = literal(declared.trim());
        if (literal == null) {
            return null;
        }
        try {
            return Values.format(column.type(), Values.canonical(column.type(), Values.parse(column.type(), literal)));
        } catch (FerryException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /** The literal's text (a string unquoted), or null when {@code s} is not one. */
    private static String literal(String s) {
        while (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        Matcher cast = CASTS.matcher(s);
        if (cast.matches() && !cast.group(1).isEmpty()) {
            s = cast.group(1).trim();
            while (s.startsWith("(") && s.endsWith(")")) {
                s = s.substring(1, s.length() - 1).trim();
            }
        }
        Matcher typed = TYPED.matcher(s);
        if (typed.matches()) {
            s = typed.group(1);
        }
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
            String body = s.substring(1, s.length() - 1);
            // Only one quoted literal: a doubled quote inside is an escaped quote, a lone one ends it early ('a' || 'b').
            if (body.replace("''", "").contains("'")) {
                return null;
            }
            return body.replace("''", "'");
        }
        Matcher bit = BIT.matcher(s);
        if (bit.matches()) {
            return Long.toString(Long.parseLong(bit.group(1), 2));
        }
        if (NUMBER.matcher(s).matches()) {
            return s;
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return s.toLowerCase(Locale.ROOT);
        }
        return null;
    }
}
