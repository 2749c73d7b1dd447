package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.conflict.ConflictLog;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code ferry conflicts}: lists the conflict log of a consolidated database, newest first. */
@Command(name = "conflicts", description = "List the conflicts uploads met and how they were resolved, newest first.")
final class ConflictsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--consolidated", description = "JDBC URL of the consolidated database (default: the embedded H2 under ./ferry-data)")
    String consolidated = ServerConfig.DEFAULT_URL;

    @Option(names = "--table", description = "only conflicts on this table")
    String table;

    @Option(names = "--remote-id", description = "only conflicts met by this remote's uploads")
    String remoteId;

    @Option(names = "--since", description = "only conflicts at or after this time (2026-11-23 or 2026-11-23T10:00:00Z, UTC)")
    String since;

    @Option(names = "--limit", description = "at most this many (default: ${DEFAULT-VALUE})")
    int limit = 50;

    @Option(names = "--json", description = "one JSON object per line instead of the readable listing")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        if (limit < 1) {
            throw new FerryException(ErrorCode.USAGE, "--limit must be at least 1, not " + limit);
        }
        ConflictLog.Filter filter = new ConflictLog.Filter(table, remoteId, since == null ? null : parseSince(since), limit);
        List<ConflictLog.Entry> entries;
        try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2); Connection c = db.connection()) {
            entries = ConflictLog.list(c, filter);
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "reading the conflict log: " + e.getMessage());
        }
        PrintStream out = System.out;
        if (json) {
            for (ConflictLog.Entry e : entries) {
                out.println(JSON.writeValueAsString(asJson(e)));
            }
            return 0;
        }
        out.println(entries.isEmpty() ? "No conflicts." : entries.size() + (entries.size() == 1 ? " conflict" : " conflicts")
                + (entries.size() == limit ? " (the newest " + limit + "; raise --limit for more)" : "") + ", newest first");
        for (ConflictLog.Entry e : entries) {
            print(out, e);
        }
        return 0;
    }

    private static Instant parseSince(String text) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new FerryException(ErrorCode.USAGE, "--since '" + text + "' is not a date (2026-11-23) or UTC time (2026-11-23T10:00:00Z)");
        }
    }

    private static void print(PrintStream out, ConflictLog.Entry e) throws JsonProcessingException {
        out.println();
        out.printf("#%d  %s  %s %s  remote %s (upload %d)%n", e.id(), e.detectedAt(), e.table(), e.pk(), e.remoteId(), e.uploadNumber());
        out.printf("    %s, %s -> %s%s%n", e.kind(), e.policy(), e.outcome(), e.detail() == null ? "" : ": " + e.detail());
        List<Map<String, String>> images = List.of(image(e.oldImage()), image(e.remoteImage()), image(e.serverImage()), image(e.resolvedImage()));
        Set<String> columns = new LinkedHashSet<>();
        images.forEach(i -> columns.addAll(i.keySet()));
        List<String> differing = new ArrayList<>();
        for (String col : columns) {
            if (images.stream().filter(i -> !i.isEmpty()).map(i -> i.get(col)).distinct().count() > 1) {
                differing.add(col);
            }
        }
        String[] heads = {"column", "old", "remote", "server", "resolved"};
        List<String[]> rows = new ArrayList<>();
        rows.add(heads);
        for (String col : differing) {
            rows.add(new String[] {col, cell(e.oldImage(), images.get(0), col), cell(e.remoteImage(), images.get(1), col),
                    cell(e.serverImage(), images.get(2), col), cell(e.resolvedImage(), images.get(3), col)});
        }
        AlignedColumns.print(out, "    ", rows);
        int same = columns.size() - differing.size();
        if (same > 0) {
            out.println("    (" + same + (same == 1 ? " other column equal" : " other columns equal") + " in every version shown)");
        }
    }

    private static String cell(String imageJson, Map<String, String> image, String column) {
        if (imageJson == null) {
            return image.isEmpty() ? "(none)" : "";
        }
        String v = image.get(column);
        if (v == null) {
            return "NULL";
        }
        return v.length() > 40 ? v.substring(0, 37) + "..." : v;
    }

    private static Map<String, String> image(String json) throws JsonProcessingException {
        return json == null ? Map.of() : JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
    }

    private static Map<String, Object> asJson(ConflictLog.Entry e) throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("detectedAt", e.detectedAt().toString());
        m.put("remoteId", e.remoteId());
        m.put("uploadNumber", e.uploadNumber());
        m.put("table", e.table());
        m.put("pk", JSON.readTree(e.pk()));
        m.put("kind", e.kind());
        m.put("policy", e.policy());
        m.put("outcome", e.outcome());
        m.put("oldImage", e.oldImage() == null ? null : JSON.readTree(e.oldImage()));
        m.put("remoteImage", e.remoteImage() == null ? null : JSON.readTree(e.remoteImage()));
        m.put("serverImage", e.serverImage() == null ? null : JSON.readTree(e.serverImage()));
        m.put("resolvedImage", e.resolvedImage() == null ? null : JSON.readTree(e.resolvedImage()));
        m.put("detail", e.detail());
        return m;
    }
}
