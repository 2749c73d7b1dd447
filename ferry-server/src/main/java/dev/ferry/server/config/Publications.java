package dev.ferry.server.config;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The publications as configured (docs/PARTITIONS.md): per publication the tables it shares, each
 * with a direction and an optional row filter in SQL over the table. Only the shape is checked here;
 * that tables and columns exist and filters run is checked against the consolidated database at server start
 * ({@code dev.ferry.server.partition.Partitions}). Immutable. No publications (the empty value) means
 * every synchronized table both ways, unfiltered, every column.
 *
 * <pre>
 * publications:
 *   field:
 *     tables:
 *       customer: { filter: "region_id = :region_id", columns: [id, name, region_id] }
 *       product:  { direction: download-only }
 * </pre>
 */
public record Publications(Map<String, Publication> byName) {
    public static final String PREFIX = "publications.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    public Publications {
        byName = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    public static Publications none() {
        return new Publications(Map.of());
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** Which way a table's rows travel. */
    public enum Direction {
        BOTH("both"), UPLOAD_ONLY("upload-only"), DOWNLOAD_ONLY("download-only");

        private final String text;

        Direction(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public boolean uploads() {
            return this != DOWNLOAD_ONLY;
        }

        public boolean downloads() {
            return this != UPLOAD_ONLY;
        }

        static Direction parse(String s, String key) {
            for (Direction d : values()) {
                if (d.text.equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return d;
                }
            }
            throw new FerryException(ErrorCode.CONFIG_INVALID, key + " is " + s + ", expected both, upload-only or download-only");
        }

        /** The union of two publications' directions for one table: a way either allows. */
        public Direction union(Direction o) {
            if (this == o) {
                return this;
            }
            return BOTH;
        }
    }

    /**
     * One table of a publication: its direction, filter (null = every row) and the columns it publishes
     * (null = every column; names as configured, matched against the table at server start).
     */
    public record Table(String name, Direction direction, String filter, List<String> columns) {
        public Table {
            columns = columns == null ? null : List.copyOf(columns);
        }

        public Table(String name, Direction direction, String filter) {
            this(name, direction, filter, null);
        }
    }

    /** One publication: its tables in configuration order. */
    public record Publication(String name, Map<String, Table> tables) {
        public Publication {
            tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        }
    }

    /** Builds the model from flattened settings {@code publications.<name>.tables.<table>.<attribute>}. */
    static Publications parse(Map<String, String> flat) {
        Map<String, Map<String, Map<String, String>>> raw = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String key = e.getKey();
            String[] parts = key.substring(PREFIX.length()).split("\\.");
            if (parts.length != 4 || !parts[1].equals("tables")) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "unknown setting " + key,
                        "a publication is written publications.<name>.tables.<table>.{filter, direction, columns}");
            }
            if (!NAME.matcher(parts[0]).matches()) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "publication name " + parts[0] + " in " + key
                        + " must start with a letter and hold only letters, digits, _ and - (at most 64)");
            }
            raw.computeIfAbsent(parts[0], k -> new LinkedHashMap<>()).computeIfAbsent(parts[2], k -> new LinkedHashMap<>())
                    .put(parts[3], e.getValue());
        }
        Map<String, Publication> out = new LinkedHashMap<>();
        raw.forEach((pub, tables) -> {
            Map<String, Table> ts = new LinkedHashMap<>();
            tables.forEach((table, attrs) -> ts.put(table, table(pub, table, attrs)));
            out.put(pub, new Publication(pub, ts));
        });
        return new Publications(out);
    }

    private static Table table(String pub, String table, Map<String, String> attrs) {
        String base = PREFIX + pub + ".tables." + table + ".";
        Direction direction = Direction.BOTH;
        String filter = null;
        List<String> columns = null;
        for (Map.Entry<String, String> a : attrs.entrySet()) {
            switch (a.getKey()) {
                case "direction" -> direction = Direction.parse(a.getValue(), base + "direction");
                case "filter" -> filter = a.getValue().isBlank() ? null : a.getValue().trim();
                case "columns" -> columns = columns(a.getValue(), base + "columns");
                default -> throw new FerryException(ErrorCode.CONFIG_INVALID, "unknown setting " + base + a.getKey(),
                        "a published table has filter, direction and columns");
            }
        }
        return new Table(table, direction, filter, columns);
    }

    private static List<String> columns(String list, String key) {
        List<String> out = new ArrayList<>();
        for (String c : list.split(",")) {
            String name = c.trim();
            if (!name.isEmpty() && !out.contains(name)) {
                out.add(name);
            }
        }
        if (out.isEmpty()) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, key + " is empty",
                    "name the columns to publish (the primary key included), or leave columns out to publish every column");
        }
        return out;
    }

    /** The publication names, checked against {@code wanted}; unknown names are {@code PUBLICATION_NOT_FOUND}. */
    public List<String> resolve(List<String> wanted) {
        if (wanted == null || wanted.isEmpty()) {
            return new ArrayList<>(byName.keySet());
        }
        List<String> out = new ArrayList<>();
        for (String w : wanted) {
            if (!byName.containsKey(w)) {
                throw new FerryException(ErrorCode.PUBLICATION_NOT_FOUND, "the server has no publication " + w,
                        "the server publishes " + byName.keySet() + "; run `ferry remote init --publication NAME` with one of them");
            }
            if (!out.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
