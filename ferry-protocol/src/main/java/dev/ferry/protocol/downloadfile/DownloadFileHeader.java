package dev.ferry.protocol.downloadfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a download file holds and the facts its checks compare (seed 001), all in terms of the
 * consolidated database: the changes stamped after position {@code lastDownload} up to and including
 * {@code nextLastDownload}, read from a snapshot whose creation began at {@code createdAt} on the
 * consolidated clock. Times are informational except {@code createdAt}, which check 3 compares with
 * the remote's last upload time. Immutable.
 *
 * @param remoteIds the remotes the file was made for; empty means any remote of this consolidated database
 * @param full      the file holds every row (and every recorded delete), not just changes
 * @param lastDownloadTime may be null (a full file, or a remote whose download time the server never learned)
 */
public record DownloadFileHeader(String consolidatedId, List<String> remoteIds, boolean full, long lastDownload,
                                 Instant lastDownloadTime, long nextLastDownload, Instant nextLastDownloadTime,
                                 Instant createdAt, List<String> tables, long rows) {
    /** Bumped when the file layout changes incompatibly; a reader refuses other versions. */
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public DownloadFileHeader {
        remoteIds = List.copyOf(remoteIds);
        tables = List.copyOf(tables);
    }

    /** True when the file was made for this remote (or for any). */
    public boolean isFor(String remoteId) {
        return remoteIds.isEmpty() || remoteIds.contains(remoteId);
    }

    String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("consolidatedId", consolidatedId);
        ArrayNode remotes = o.putArray("remoteIds");
        remoteIds.forEach(remotes::add);
        o.put("full", full);
        o.put("lastDownload", lastDownload);
        o.put("lastDownloadTime", lastDownloadTime == null ? null : lastDownloadTime.toString());
        o.put("nextLastDownload", nextLastDownload);
        o.put("nextLastDownloadTime", nextLastDownloadTime.toString());
        o.put("createdAt", createdAt.toString());
        ArrayNode t = o.putArray("tables");
        tables.forEach(t::add);
        o.put("rows", rows);
        return o.toString();
    }

    static DownloadFileHeader fromJson(String json, String file) {
        try {
            JsonNode o = JSON.readTree(json);
            int format = o.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new FerryException(ErrorCode.DOWNLOAD_FILE_DAMAGED, file + " is a download file of format " + format
                        + ", this Ferry reads format " + FORMAT, "create it with the same Ferry release as the remote");
            }
            return new DownloadFileHeader(text(o, "consolidatedId"), strings(o.get("remoteIds")), o.path("full").asBoolean(),
                    number(o, "lastDownload"), time(o, "lastDownloadTime", true), number(o, "nextLastDownload"),
                    time(o, "nextLastDownloadTime", false), time(o, "createdAt", false), strings(o.get("tables")), number(o, "rows"));
        } catch (FerryException e) {
            throw e;
        } catch (Exception e) {
            throw new FerryException(ErrorCode.DOWNLOAD_FILE_DAMAGED, file + " has an unreadable header: " + e.getMessage(), null, e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return v.asText();
    }

    private static long number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return v.asLong();
    }

    private static Instant time(JsonNode o, String field, boolean nullable) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (nullable) {
                return null;
            }
            throw new IllegalArgumentException("missing " + field);
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not a time: " + v.asText(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("missing a list");
        }
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
