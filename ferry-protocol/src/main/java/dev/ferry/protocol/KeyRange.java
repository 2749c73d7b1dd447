package dev.ferry.protocol;

/**
 * A block of key values, {@code first} to {@code last} inclusive, that one remote alone may give the
 * rows it inserts into {@code table}: the server's own key generator never issues any of it and no
 * other remote holds any of it.
 */
public record KeyRange(String table, long first, long last) {
    public KeyRange {
        if (table == null || table.isEmpty()) {
            throw new IllegalArgumentException("a key range needs a table");
        }
        if (first > last) {
            throw new IllegalArgumentException("key range of " + table + " ends (" + last + ") before it starts (" + first + ")");
        }
    }

    public long size() {
        return last - first + 1;
    }
}
