package dev.ferry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bench's command line: {@code [--full] [--scale F] [--only name,...] [--databases postgresql,mariadb,h2]
 * [--ferry-jar PATH] [--keep]}. Validated when parsed; a bad flag is a {@link IllegalArgumentException}
 * naming it. Immutable.
 */
record BenchOptions(Sizes sizes, Set<String> only, List<ConsolidatedKind> databases, Path ferryJar, boolean keep, boolean full) {

    static final List<String> SCENARIOS = List.of("upload", "download", "many-remotes", "memory", "capture", "symmetricds");
    static final String USAGE = "usage: ferry bench [--full] [--scale F] [--only " + String.join(",", SCENARIOS) + "]"
            + " [--databases postgresql,mariadb,h2] [--ferry-jar PATH] [--keep]";

    static BenchOptions parse(String... args) {
        boolean full = false;
        boolean keep = false;
        double scale = 1;
        Set<String> only = new LinkedHashSet<>(SCENARIOS);
        List<ConsolidatedKind> databases = List.of(ConsolidatedKind.values());
        Path jar = Path.of("ferry-cli", "target", "ferry.jar");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--full" -> full = true;
                case "--keep" -> keep = true;
                case "--scale" -> scale = positive(a, value(args, ++i, a));
                case "--only" -> only = names(a, value(args, ++i, a));
                case "--databases" -> databases = databases(value(args, ++i, a));
                case "--ferry-jar" -> jar = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown argument " + a + "\n" + USAGE);
            }
        }
        Sizes sizes = (full ? Sizes.FULL : Sizes.DEFAULT);
        return new BenchOptions(scale == 1 ? sizes : sizes.scaled(scale), only, databases, jar, keep, full);
    }

    boolean runs(String scenario) {
        return only.contains(scenario);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static double positive(String flag, String v) {
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && d <= 1000) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " must be a number above 0 (at most 1000), not " + v);
    }

    private static Set<String> names(String flag, String v) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : v.split(",")) {
            String name = n.trim().toLowerCase(Locale.ROOT);
            if (!SCENARIOS.contains(name)) {
                throw new IllegalArgumentException(flag + ": unknown scenario " + n + " (known: " + String.join(",", SCENARIOS) + ")");
            }
            names.add(name);
        }
        return names;
    }

    private static List<ConsolidatedKind> databases(String v) {
        List<ConsolidatedKind> kinds = new ArrayList<>();
        for (String n : v.split(",")) {
            kinds.add(ConsolidatedKind.named(n.trim()));
        }
        return List.copyOf(new LinkedHashSet<>(kinds));
    }
}
