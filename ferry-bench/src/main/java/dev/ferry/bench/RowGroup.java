package dev.ferry.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The rows one scenario group promises (name and target each). A failure part-way reports every
 * row not yet reported as FAILED with the reason, so the table always shows every scenario asked for.
 */
final class RowGroup {
    private final Consumer<Result> sink;
    private final String database;
    private final Map<String, Target> pending = new LinkedHashMap<>();

    RowGroup(Consumer<Result> sink, String database) {
        this.sink = sink;
        this.database = database;
    }

    RowGroup expect(String scenario, Target target) {
        pending.put(scenario, target);
        return this;
    }

    String database() {
        return database;
    }

    void add(Result r) {
        pending.remove(r.scenario());
        sink.accept(r);
    }

    void failRemaining(Throwable e) {
        String reason = reason(e);
        for (Map.Entry<String, Target> p : new ArrayList<>(pending.entrySet())) {
            add(Result.failed(p.getKey(), database, p.getValue(), reason));
        }
    }

    /** The message of the failure, with its cause's when that says more. */
    static String reason(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 2; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return String.join(": ", parts).replace('\n', ' ');
    }
}
