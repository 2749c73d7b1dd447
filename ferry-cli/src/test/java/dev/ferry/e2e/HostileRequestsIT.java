package dev.ferry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.IncarnationToken;
import dev.ferry.protocol.Protocol;
import dev.ferry.server.FerryServer;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11: hostile requests against a real server on PostgreSQL over real HTTP (raw sockets where the
 * framing itself is broken). Every case asserts the status, the JSON error shape with a hint and no Java
 * internals, that the consolidated database (every table but the sync log) is unchanged, and that the
 * server still serves a normal sync of a real remote afterwards. Values the column cannot hold exactly
 * are either refused with the request or rejected per row; either way nothing altered is stored and
 * later downloads keep working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JAVA_INTERNALS = Pattern.compile("(java|javax|jakarta|org\\.eclipse|com\\.fasterxml|io\\.javalin|dev\\.ferry)\\.[a-z]"
            + "|Exception|\\bat [a-z]+\\.[a-z]+\\.");
    private static final List<String> ALL_TYPES = List.of("id", "c_small", "c_int", "c_big", "c_dec", "c_real", "c_double", "c_text", "c_vchar",
            "c_bool", "c_date", "c_time", "c_ts", "c_tstz", "c_uuid", "c_bin", "c_json");
    private static final List<String> DATA_TABLES = List.of("customer", "orders", "order_line", "all_types");
    private static final long REQUEST_BYTES = 1 << 20;
    private static final int ROWS = 100;
    private static final int VALUE_BYTES = 65536;
    private static final int HEADER_BYTES = 8192;

    private final AtomicInteger ids = new AtomicInteger();
    private ConsolidatedFixture cons;
    private RunningFerry ferry;
    private RawHttp http;
    private RemoteFixture shopA;
    /** shop-a's credential as its syncs send it: acknowledgements need a remote's credential. */
    private String shopAAuthorization;
    /** The id {@link #freshId()} registered last: the sync requests built next speak for it, with its incarnation and credential. */
    private Registered speaker;

    @BeforeAll
    void start() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create("postgresql"));
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50), (2, 'Grace', 19.99)");
        cons.jdbc("INSERT INTO all_types (id, c_double, c_dec, c_date) VALUES (1, 1.5, 2.25, DATE '2024-02-29')");
        ferry = RunningFerry.start(cons, null, Map.of(ServerConfig.LIMIT_REQUEST_BYTES.key(), String.valueOf(REQUEST_BYTES),
                ServerConfig.LIMIT_ROWS.key(), String.valueOf(ROWS), ServerConfig.LIMIT_VALUE_BYTES.key(), String.valueOf(VALUE_BYTES),
                ServerConfig.LIMIT_HEADER_BYTES.key(), String.valueOf(HEADER_BYTES), ServerConfig.LIMIT_IDLE_TIMEOUT.key(), "2"));
        http = new RawHttp(ferry.server.port());
        shopA = ferry.remote("sqlite", "shop-a");
        RunningFerry.sync(shopA);
        shopAAuthorization = RawHttp.bearer(shopA.query("SELECT credential FROM ferry_state").get(0).get(0));
    }

    @AfterAll
    void stop() throws Exception {
        ferry.close();
    }

    // ---- requests ----------------------------------------------------------------------------------

    /** A registered remote id: the incarnation its registration named and the credential it was given. */
    private record Registered(String id, String incarnation, String authorization) {
    }

    /**
     * A new remote id, registered (POST /v1/remotes with alice's password) so that a sync naming it gets
     * past authentication to what the case tests; it becomes the {@link #speaker}. Callers build a case's
     * request before taking the snapshot it compares with: the registration's rows are legitimate.
     */
    private String freshId() {
        String id = "hostile-" + ids.incrementAndGet();
        String incarnation = IncarnationToken.fresh();
        try {
            RawHttp.Response r = http.exchange(registration("{\"protocol\":" + Protocol.VERSION + ",\"remoteId\":\"" + id + "\",\"incarnation\":\""
                    + incarnation + "\",\"replace\":false}"));
            assertThat(r.status()).as("registering " + id + ": " + r.body()).isEqualTo(200);
            speaker = new Registered(id, incarnation, RawHttp.bearer(JSON.readTree(r.body()).path("credential").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return id;
    }

    /** Whom the next sync request speaks for (a remote id registered now if none was yet). */
    private Registered speaker() {
        if (speaker == null) {
            freshId();
        }
        return speaker;
    }

    private String header(String remoteId, String progress) {
        return "{\"protocol\":" + Protocol.VERSION + ",\"remoteId\":" + remoteId + ",\"incarnation\":\"" + speaker().incarnation() + "\",\"progress\":"
                + progress + ",\"uploadId\":\"u-1\","
                + "\"lastDownload\":0,\"mode\":\"full\",\"tables\":[\"customer\",\"orders\",\"order_line\",\"all_types\"],\"upload\":[";
    }

    private String syncJson(String uploadTables) {
        return header("\"" + freshId() + "\"", "0") + uploadTables + "]}";
    }

    private static String customers(String rows) {
        return "{\"table\":\"customer\",\"columns\":[\"id\",\"name\",\"balance\"],\"rows\":[" + rows + "]}";
    }

    /** An all_types upload of one insert: row {@code id} with {@code column} set to the JSON {@code value}, every other column null. */
    private static String allTypes(int id, String column, String value) {
        return "{\"table\":\"all_types\",\"columns\":" + quoted(ALL_TYPES) + ",\"rows\":[" + row(id, column, value) + "]}";
    }

    private static String row(int id, String column, String value) {
        List<String> values = new ArrayList<>();
        for (String c : ALL_TYPES) {
            values.add(c.equals("id") ? String.valueOf(id) : c.equals(column) ? value : "null");
        }
        return "[\"I\",[" + String.join(",", values) + "]]";
    }

    private static String quoted(List<String> names) {
        return "[" + String.join(",", names.stream().map(n -> "\"" + n + "\"").toList()) + "]";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A sync POST with the {@link #speaker}'s credential. */
    private byte[] syncPost(byte[] body, String... headers) {
        return RawHttp.post(speaker().authorization(), Protocol.SYNC_PATH, "application/json", body, headers);
    }

    /** The head of a sync POST with the {@link #speaker}'s credential (the body framed by the caller). */
    private byte[] syncHead(String... headers) {
        return RawHttp.head(speaker().authorization(), "POST", Protocol.SYNC_PATH, headers);
    }

    private static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private byte[] registration(String fields) {
        return RawHttp.post(RawHttp.ALICE, Protocol.REMOTES_PATH, "application/json", bytes(fields));
    }

    private String validRegistration(String remoteIdJson) {
        return "{\"protocol\":" + Protocol.VERSION + ",\"remoteId\":" + remoteIdJson + ",\"incarnation\":\"" + IncarnationToken.fresh() + "\",\"replace\":false}";
    }

    // ---- refused requests ------------------------------------------------------------------------------

    /** A request the server must refuse with {@code status} and {@code code}, committing nothing. */
    private record Refused(String name, Supplier<byte[]> request, int status, String code) {
    }

    private List<Refused> refusedCases() {
        String ok = customers("[\"I\",[100,\"Mallory\",\"1.00\"]]");
        byte[] valid = bytes(syncJson(ok));
        String validAuthorization = speaker().authorization();
        List<Refused> cases = new ArrayList<>();
        // framing
        cases.add(new Refused("body shorter than its Content-Length", () -> {
            byte[] b = bytes(syncJson(ok));
            return RawHttp.concat(syncHead("Content-Type: application/json", "Content-Length: " + (b.length + 50)), b);
        }, 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("body cut in the middle of the JSON", () -> {
            byte[] b = bytes(syncJson(ok));
            return RawHttp.concat(syncHead("Content-Type: application/json", "Content-Length: " + b.length),
                    java.util.Arrays.copyOf(b, b.length - 3));
        }, 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("chunked body without its last chunk", () -> {
            byte[] b = bytes(syncJson(ok));
            return RawHttp.concat(syncHead("Content-Type: application/json", "Transfer-Encoding: chunked"),
                    bytes(Integer.toHexString(b.length) + "\r\n"), b, bytes("\r\n"));
        }, 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("chunk size that is not hex", () -> RawHttp.concat(syncHead(
                "Content-Type: application/json", "Transfer-Encoding: chunked"), bytes("zz\r\n{}\r\n0\r\n\r\n")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("chunk longer than it says", () -> {
            byte[] b = bytes(syncJson(ok));
            return RawHttp.concat(syncHead("Content-Type: application/json", "Transfer-Encoding: chunked"),
                    bytes("10\r\n"), b, bytes("\r\n0\r\n\r\n"));
        }, 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("truncated gzip stream", () -> {
            byte[] g = gzip(bytes(syncJson(ok)));
            return syncPost(java.util.Arrays.copyOf(g, g.length - 6), "Content-Encoding: gzip");
        }, 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("gzip stream with a corrupt trailer", () -> {
            byte[] g = gzip(bytes(syncJson(ok)));
            g[g.length - 5] ^= 0x55;
            return syncPost(g, "Content-Encoding: gzip");
        }, 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("not gzip at all under Content-Encoding gzip", () -> syncPost(bytes(syncJson(ok)), "Content-Encoding: gzip"),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("gzip bomb (4 MiB of whitespace inside a 1 MiB limit)", () -> {
            String h = header("\"" + freshId() + "\"", "0");
            byte[] bomb = RawHttp.concat(bytes(h + ok), bytes(" ".repeat(4 << 20)), bytes("]}"));
            return syncPost(gzip(bomb), "Content-Encoding: gzip");
        }, 413, "REQUEST_TOO_LARGE"));
        cases.add(new Refused("unknown Content-Encoding", () -> syncPost(bytes(syncJson(ok)), "Content-Encoding: br"), 415, "UNSUPPORTED_MEDIA_TYPE"));
        // what follows the document
        cases.add(new Refused("garbage after the JSON document", () -> syncPost(bytes(syncJson(ok) + "garbage")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("a second JSON document after the first", () -> syncPost(bytes(syncJson(ok) + "{}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("malformed JSON", () -> syncPost(bytes("{\"protocol\":1,,}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("not an object", () -> syncPost(bytes("[1,2,3]")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("empty body", () -> syncPost(new byte[0]), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("nesting 5000 deep", () -> syncPost(bytes("{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")), 400, "PROTOCOL_ERROR"));
        // header fields
        cases.add(new Refused("duplicate key", () -> syncPost(bytes(syncJson(ok).replace("\"progress\":0", "\"progress\":0,\"progress\":0"))),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("1.5 as progress", () -> syncPost(bytes(header("\"" + freshId() + "\"", "1.5") + ok + "]}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("negative progress", () -> syncPost(bytes(header("\"" + freshId() + "\"", "-1") + ok + "]}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("progress as a string", () -> syncPost(bytes(header("\"" + freshId() + "\"", "\"0\"") + ok + "]}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("progress beyond a long", () -> syncPost(bytes(header("\"" + freshId() + "\"", "99999999999999999999") + ok + "]}")),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("null remote id", () -> syncPost(bytes(header("null", "0") + ok + "]}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("numeric remote id", () -> syncPost(bytes(header("12345", "0") + ok + "]}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("remote id of 200 characters", () -> syncPost(bytes(header("\"" + "a".repeat(200) + "\"", "0") + ok + "]}")),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("remote id with a newline", () -> syncPost(bytes(header("\"shop\\nforged log line\"", "0") + ok + "]}")),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("remote id with a space", () -> syncPost(bytes(header("\"shop a\"", "0") + ok + "]}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("empty remote id", () -> syncPost(bytes(header("\"\"", "0") + ok + "]}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("unknown header field", () -> syncPost(bytes(syncJson(ok).replace("\"progress\":0", "\"progress\":0,\"admin\":true"))),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("unknown sync mode", () -> syncPost(bytes(syncJson(ok).replace("\"full\"", "\"everything\""))), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("wrong protocol version", () -> syncPost(bytes(syncJson(ok).replace("\"protocol\":" + Protocol.VERSION, "\"protocol\":99"))),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("unknown table", () -> syncPost(bytes(syncJson(ok.replace("\"customer\"", "\"pg_authid\"")))), 422, "TABLE_NOT_FOUND"));
        cases.add(new Refused("unknown field in an upload table", () -> syncPost(bytes(syncJson(ok.replace("\"rows\"", "\"sql\":\"drop\",\"rows\"")))),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("a row of the wrong width", () -> syncPost(bytes(syncJson(customers("[\"I\",[100,\"x\"]]")))), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("a string in an integer column", () -> syncPost(bytes(syncJson(customers("[\"I\",[\"100\",\"x\",\"1.00\"]]")))),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("unknown row operation", () -> syncPost(bytes(syncJson(customers("[\"X\",[100,\"x\",\"1.00\"]]")))), 400, "PROTOCOL_ERROR"));
        // HTTP
        cases.add(new Refused("missing Content-Type", () -> RawHttp.post(validAuthorization, Protocol.SYNC_PATH, null, valid), 415, "UNSUPPORTED_MEDIA_TYPE"));
        cases.add(new Refused("text/plain Content-Type", () -> RawHttp.post(validAuthorization, Protocol.SYNC_PATH, "text/plain", valid), 415, "UNSUPPORTED_MEDIA_TYPE"));
        cases.add(new Refused("GET on the sync endpoint", () -> RawHttp.head(speaker().authorization(), "GET", Protocol.SYNC_PATH), 405, "METHOD_NOT_ALLOWED"));
        cases.add(new Refused("DELETE on the remotes endpoint", () -> RawHttp.head(RawHttp.ALICE, "DELETE", Protocol.REMOTES_PATH), 405, "METHOD_NOT_ALLOWED"));
        cases.add(new Refused("unknown path", () -> RawHttp.head(RawHttp.ALICE, "GET", "/v1/admin"), 404, "ENDPOINT_NOT_FOUND"));
        cases.add(new Refused("header larger than limits.headerBytes", () -> RawHttp.head(RawHttp.ALICE, "GET", "/health", "X-Pad: " + "a".repeat(HEADER_BYTES * 2)),
                431, "REQUEST_TOO_LARGE"));
        cases.add(new Refused("no credentials", () -> RawHttp.concat(bytes("POST " + Protocol.SYNC_PATH + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + valid.length + "\r\n\r\n"), valid), 401, "AUTH_FAILED"));
        cases.add(new Refused("a password instead of the remote's credential", () -> RawHttp.post(RawHttp.ALICE, Protocol.SYNC_PATH, "application/json",
                valid), 401, "AUTH_FAILED"));
        // limits
        cases.add(new Refused("Content-Length beyond limits.requestBytes", () -> {
            byte[] b = bytes(syncJson(ok));
            return RawHttp.concat(syncHead("Content-Type: application/json", "Content-Length: " + (REQUEST_BYTES * 4)), b);
        }, 413, "REQUEST_TOO_LARGE"));
        cases.add(new Refused("chunked body beyond limits.requestBytes", () -> {
            byte[] b = RawHttp.concat(bytes(header("\"" + freshId() + "\"", "0") + ok), bytes(" ".repeat((int) REQUEST_BYTES + 10)), bytes("]}"));
            return RawHttp.concat(syncHead("Content-Type: application/json", "Transfer-Encoding: chunked"),
                    bytes(Integer.toHexString(b.length) + "\r\n"), b, bytes("\r\n0\r\n\r\n"));
        }, 413, "REQUEST_TOO_LARGE"));
        cases.add(new Refused("more rows than limits.rowsPerUpload", () -> {
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < ROWS + 1; i++) {
                rows.add("[\"I\",[" + (1000 + i) + ",\"x\",\"1.00\"]]");
            }
            return syncPost(bytes(syncJson(customers(String.join(",", rows)))));
        }, 413, "REQUEST_TOO_LARGE"));
        cases.add(new Refused("a value beyond limits.valueBytes", () -> syncPost(bytes(syncJson(customers("[\"I\",[100,\"" + "x".repeat(VALUE_BYTES + 1)
                + "\",\"1.00\"]]")))), 413, "REQUEST_TOO_LARGE"));
        cases.add(new Refused("a number of 5000 digits", () -> syncPost(bytes(syncJson(allTypes(50, "c_double", "1" + "0".repeat(5000))))),
                413, "REQUEST_TOO_LARGE"));
        // values the way out could not carry: the request is refused
        cases.add(new Refused("1e400 into a double column", () -> syncPost(bytes(syncJson(allTypes(50, "c_double", "1e400")))), 422, "ROW_VALUE_OUT_OF_RANGE"));
        cases.add(new Refused("-1e400 into a double column", () -> syncPost(bytes(syncJson(allTypes(50, "c_double", "-1e400")))), 422, "ROW_VALUE_OUT_OF_RANGE"));
        cases.add(new Refused("1e-400 (underflow to zero) into a double column", () -> syncPost(bytes(syncJson(allTypes(50, "c_double", "1e-400")))),
                422, "ROW_VALUE_OUT_OF_RANGE"));
        cases.add(new Refused("1e39 into a real column", () -> syncPost(bytes(syncJson(allTypes(50, "c_real", "1e39")))), 422, "ROW_VALUE_OUT_OF_RANGE"));
        cases.add(new Refused("NaN token", () -> syncPost(bytes(syncJson(allTypes(50, "c_double", "NaN")))), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("\"Infinity\" as a string", () -> syncPost(bytes(syncJson(allTypes(50, "c_double", "\"Infinity\"")))), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("a decimal that is not a number", () -> syncPost(bytes(syncJson(allTypes(50, "c_dec", "\"12,50\"")))), 422, "ROW_INVALID_VALUE"));
        cases.add(new Refused("a decimal exponent beyond an int", () -> syncPost(bytes(syncJson(allTypes(50, "c_dec", "\"1e99999999999\"")))),
                422, "ROW_INVALID_VALUE"));
        cases.add(new Refused("a five-digit year without its sign", () -> syncPost(bytes(syncJson(allTypes(50, "c_date", "\"10000-01-01\"")))),
                422, "ROW_INVALID_VALUE"));
        cases.add(new Refused("February 30th", () -> syncPost(bytes(syncJson(allTypes(50, "c_date", "\"2024-02-30\"")))), 422, "ROW_INVALID_VALUE"));
        cases.add(new Refused("non-canonical UUID 1-2-3-4-5", () -> syncPost(bytes(syncJson(allTypes(50, "c_uuid", "\"1-2-3-4-5\"")))), 422, "ROW_INVALID_VALUE"));
        cases.add(new Refused("UUID in braces", () -> syncPost(bytes(syncJson(allTypes(50, "c_uuid", "\"{" + IncarnationToken.fresh() + "}\"")))),
                422, "ROW_INVALID_VALUE"));
        cases.add(new Refused("invalid base64", () -> syncPost(bytes(syncJson(allTypes(50, "c_bin", "\"not*base64!\"")))), 422, "ROW_INVALID_VALUE"));
        // registration and acknowledgement
        cases.add(new Refused("registration with a duplicate key", () -> registration(validRegistration("\"dup-a\"").replace("\"replace\":false",
                "\"replace\":false,\"replace\":true")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("registration with 1.5 as protocol", () -> registration(validRegistration("\"reg-b\"").replace("\"protocol\":"
                + Protocol.VERSION, "\"protocol\":1.5")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("registration with a numeric remote id", () -> registration(validRegistration("42")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("registration with an invalid remote id", () -> registration(validRegistration("\"../../etc\"")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("registration with an unknown field", () -> registration(validRegistration("\"reg-c\"").replace("}", ",\"owner\":\"root\"}")),
                400, "PROTOCOL_ERROR"));
        cases.add(new Refused("registration with garbage after it", () -> registration(validRegistration("\"reg-d\"") + "]"), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("registration with a string as replace", () -> registration(validRegistration("\"reg-e\"").replace("\"replace\":false",
                "\"replace\":\"yes\"")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("acknowledgement with a negative position", () -> RawHttp.post(shopAAuthorization, Protocol.ACK_PATH, "application/json",
                bytes("{\"remoteId\":\"shop-a\",\"lastDownload\":-5}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("acknowledgement with a position as a string", () -> RawHttp.post(shopAAuthorization, Protocol.ACK_PATH, "application/json",
                bytes("{\"remoteId\":\"shop-a\",\"lastDownload\":\"999\"}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("acknowledgement with 1.5 as position", () -> RawHttp.post(shopAAuthorization, Protocol.ACK_PATH, "application/json",
                bytes("{\"remoteId\":\"shop-a\",\"lastDownload\":1.5}")), 400, "PROTOCOL_ERROR"));
        // the credential request and the registration's publications
        cases.add(new Refused("credential request with garbage after it", () -> RawHttp.post(RawHttp.ALICE, Protocol.CREDENTIAL_PATH, "application/json",
                bytes("{\"remoteId\":\"" + freshId() + "\"}garbage")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("credential request with an unknown field", () -> RawHttp.post(RawHttp.ALICE, Protocol.CREDENTIAL_PATH, "application/json",
                bytes("{\"remoteId\":\"" + freshId() + "\",\"user\":\"root\"}")), 400, "PROTOCOL_ERROR"));
        cases.add(new Refused("registration with a number as publications", () -> registration(validRegistration("\"reg-f\"").replace("}",
                ",\"publications\":5}")), 400, "PROTOCOL_ERROR"));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> eachHostileRequestIsRefusedWithA4xxInTheErrorShapeCommitsNothingAndTheServerServesOn() {
        return refusedCases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            byte[] request = c.request().get();
            Map<String, List<String>> before = snapshot(true);
            RawHttp.Response r = http.exchange(request);
            assertRefused(r, c.status(), c.code());
            assertThat(snapshot(true)).as("the consolidated database is unchanged").isEqualTo(before);
            assertStillServing();
        }));
    }

    // ---- values rejected per row -----------------------------------------------------------------------

    /** A value that is well-formed but does not fit its column: the row is rejected, never stored altered. */
    private record RejectedRow(String name, String column, String value, String code) {
    }

    private static List<RejectedRow> perRowCases() {
        return List.of(
                new RejectedRow("decimal 1e100000000 (14 bytes, 100 million digits)", "c_dec", "\"1e100000000\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("decimal -1e100000000", "c_dec", "\"-1e100000000\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("decimal 1e-100000000 (more places than numeric(12,2))", "c_dec", "\"1e-100000000\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("decimal with more places than numeric(12,2)", "c_dec", "\"1.234\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("decimal with more digits than numeric(12,2)", "c_dec", "\"12345678901.00\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("year 10000", "c_date", "\"+10000-01-01\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("year 0", "c_date", "\"0000-06-01\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("timestamp in year -4713", "c_ts", "\"-4713-01-01T00:00:00\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("timestamptz in year 294277", "c_tstz", "\"+294277-01-01T00:00:00Z\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("string longer than varchar(40)", "c_vchar", "\"" + "y".repeat(41) + "\"", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("integer beyond INTEGER", "c_int", "2147483648", "ROW_VALUE_OUT_OF_RANGE"),
                new RejectedRow("integer beyond SMALLINT", "c_small", "-32769", "ROW_VALUE_OUT_OF_RANGE"));
    }

    @TestFactory
    Stream<DynamicTest> aValueItsColumnCannotHoldIsRejectedPerRowAndNothingAlteredIsStored() {
        AtomicInteger row = new AtomicInteger(500);
        return perRowCases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            int id = row.incrementAndGet();
            byte[] request = syncPost(bytes(syncJson(allTypes(id, c.column(), c.value()))), "Accept-Encoding: identity");
            Map<String, List<String>> before = dataTables();
            RawHttp.Response r = http.exchange(request);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).as("the row is reported rejected").contains(c.code());
            assertThat(r.body().length()).as("the answer stays small").isLessThan(64 * 1024);
            assertThat(dataTables()).as("the row was not stored, altered or not").isEqualTo(before);
            assertStillServing();
        }));
    }

    // ---- the rest ---------------------------------------------------------------------------------------

    @Test
    void aSlowBodyIsCutAndNothingIsApplied() throws Exception {
        byte[] body = bytes(syncJson(customers("[\"I\",[100,\"Slow\",\"1.00\"]]")));
        byte[] start = RawHttp.concat(syncHead("Content-Type: application/json", "Content-Length: " + body.length), java.util.Arrays.copyOf(body, 20));
        Map<String, List<String>> before = snapshot(true);
        RawHttp.Response r;
        try (Socket s = http.open(start)) {
            // Then nothing: the idle timeout (2 s here) must cut the connection; the test waits at most 60 s.
            r = RawHttp.read(s.getInputStream());
        }
        if (r.status() != -1) {
            assertThat(r.status()).as(r.body()).isBetween(400, 499);
            assertRefused(r, r.status(), null);
        }
        assertThat(snapshot(true)).isEqualTo(before);
        assertStillServing();
    }

    @Test
    void aTrickledBodyIsCutByTheIdleTimeoutOrTheMinimumRate() throws Exception {
        byte[] body = bytes(syncJson(customers("[\"I\",[100,\"Trickle\",\"1.00\"]]")));
        byte[] head = syncHead("Content-Type: application/json", "Content-Length: " + body.length);
        Map<String, List<String>> before = snapshot(true);
        boolean cut = false;
        RawHttp.Response answer = null;
        try (Socket s = http.open(head)) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < body.length && !cut; i++) {
                try {
                    out.write(body[i]);
                    out.flush();
                    Thread.sleep(250);
                    if (s.getInputStream().available() > 0) {
                        cut = true;
                        answer = RawHttp.read(s.getInputStream());
                    }
                } catch (IOException e) {
                    cut = true;
                }
            }
        }
        assertThat(cut).as("the server gave up on a body arriving at 4 bytes per second").isTrue();
        if (answer != null && answer.status() != -1) {
            assertThat(answer.status()).as("a slow client is a client mistake: " + answer.body()).isBetween(400, 499);
            assertRefused(answer, answer.status(), null);
        }
        assertThat(snapshot(true)).isEqualTo(before);
        assertStillServing();
    }

    @Test
    void beyondConcurrentSyncsASyncGetsARetriable503WithRetryAfter() throws Exception {
        try (FerryServer busy = secondServer(ServerConfig.LIMIT_CONCURRENT_SYNCS.key(), "1", ServerConfig.LIMIT_MIN_BODY_RATE.key(), "0",
                ServerConfig.LIMIT_SYNC_QUEUE_WAIT.key(), "0")) {
            RawHttp raw = new RawHttp(busy.port());
            byte[] body = bytes(syncJson(customers("[\"I\",[100,\"Held\",\"1.00\"]]")));
            byte[] start = RawHttp.concat(syncHead("Content-Type: application/json", "Content-Length: " + body.length), java.util.Arrays.copyOf(body, 30));
            byte[] secondRequest = syncPost(bytes(syncJson(customers("[\"I\",[101,\"Second\",\"1.00\"]]"))));
            Map<String, List<String>> before = snapshot(true);
            try (Socket held = raw.open(start)) {
                // The held sync takes the one slot once its headers are read; retry until the server says so.
                RawHttp.Response[] second = new RawHttp.Response[1];
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    second[0] = raw.exchange(secondRequest);
                    return second[0].status() == 503;
                });
                assertRefused(second[0], 503, "SERVER_BUSY");
                assertThat(second[0].header("Retry-After")).isEqualTo("1");
                assertThat(JSON.readTree(second[0].body()).path("error").path("retriable").asBoolean()).isTrue();
                assertThat(snapshot(true)).isEqualTo(before);
                held.getOutputStream().write(java.util.Arrays.copyOfRange(body, 30, body.length));
                held.shutdownOutput();
                assertThat(RawHttp.read(held.getInputStream()).status()).as("the held sync completes").isEqualTo(200);
            }
            cons.jdbc("DELETE FROM customer WHERE id = 100");
        }
        assertStillServing();
    }

    @Test
    void aSyncRefusedAsBusyIsSentAgainByTheClientAndSucceedsOnceTheSlotIsFree() throws Exception {
        // Issue 12: one slot, no queue; the client itself waits out SERVER_BUSY (Retry-After plus jitter) and sends the same request again.
        try (FerryServer busy = secondServer(ServerConfig.LIMIT_CONCURRENT_SYNCS.key(), "1", ServerConfig.LIMIT_MIN_BODY_RATE.key(), "0",
                ServerConfig.LIMIT_SYNC_QUEUE_WAIT.key(), "0")) {
            RemoteFixture second = ferry.remote("sqlite", "shop-retry", "http://127.0.0.1:" + busy.port());
            second.app("INSERT INTO customer (id, name, balance) VALUES (7001, 'Retried', 1.00)");
            RawHttp raw = new RawHttp(busy.port());
            byte[] body = bytes(syncJson(customers("[\"I\",[102,\"Held\",\"1.00\"]]")));
            byte[] start = RawHttp.concat(syncHead("Content-Type: application/json", "Content-Length: " + body.length), java.util.Arrays.copyOf(body, 30));
            try (Socket held = raw.open(start)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> raw.exchange(syncPost(bytes(syncJson(customers(""))))).status() == 503);
                java.util.concurrent.CompletableFuture<Cli.Result> sync = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> Cli.run("remote", "sync", "--db", second.dbArg()));
                Thread.sleep(2500);
                assertThat(sync).as("the sync keeps retrying while the slot is held, it has not failed").isNotDone();
                held.getOutputStream().write(java.util.Arrays.copyOfRange(body, 30, body.length));
                held.shutdownOutput();
                assertThat(RawHttp.read(held.getInputStream()).status()).as("the held sync completes").isEqualTo(200);
                Cli.Result r = sync.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.exitCode()).as(r.all()).isZero();
            }
            assertThat(cons.query("SELECT name FROM customer WHERE id = 7001")).as("applied once").containsExactly(List.of("Retried"));
            cons.jdbc("DELETE FROM customer WHERE id IN (102, 7001)");
        }
        assertStillServing();
    }

    @Test
    void aSyncThatWaitedInTheQueueIsNotCutByTheMinimumBodyRate() throws Exception {
        // Issue 12: Jetty's minimum data rate counted from the body's first byte, so a sync whose body had all
        // arrived while it waited seconds for a slot was cut with 408. The holder sends its body at about 5 KB/s
        // (well above limits.minBodyBytesPerSecond = 1024, even on a loaded machine) for 4 s, padded with the
        // whitespace a JSON document may end with.
        try (FerryServer queued = secondServer(ServerConfig.LIMIT_CONCURRENT_SYNCS.key(), "1", ServerConfig.LIMIT_SYNC_QUEUE_WAIT.key(), "30000")) {
            RemoteFixture second = ferry.remote("sqlite", "shop-queued", "http://127.0.0.1:" + queued.port());
            second.app("INSERT INTO customer (id, name, balance) VALUES (7002, 'Queued', 1.00)");
            RawHttp raw = new RawHttp(queued.port());
            byte[] json = bytes(syncJson(customers("[\"I\",[103,\"Holder\",\"1.00\"]]")));
            byte[] body = RawHttp.concat(json, bytes(" ".repeat(20_000)));
            byte[] start = RawHttp.concat(syncHead("Content-Type: application/json", "Content-Length: " + body.length), java.util.Arrays.copyOf(body, 100));
            java.util.concurrent.CompletableFuture<Cli.Result> sync;
            long t0;
            try (Socket held = raw.open(start)) {
                Thread.sleep(300);
                t0 = System.nanoTime();
                sync = java.util.concurrent.CompletableFuture.supplyAsync(() -> Cli.run("remote", "sync", "--db", second.dbArg()));
                for (int at = 100; at < body.length; at += 200) {
                    held.getOutputStream().write(body, at, Math.min(200, body.length - at));
                    held.getOutputStream().flush();
                    Thread.sleep(40);
                }
                held.shutdownOutput();
                RawHttp.Response holder = RawHttp.read(held.getInputStream());
                assertThat(holder.status()).as("the holder, fast enough, completes: " + holder.body()).isEqualTo(200);
            }
            Cli.Result r = sync.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("it really waited for the holder").isGreaterThan(Duration.ofSeconds(3));
            assertThat(r.all()).doesNotContain("SERVER_BUSY");
            assertThat(cons.query("SELECT name FROM customer WHERE id = 7002")).containsExactly(List.of("Queued"));
            cons.jdbc("DELETE FROM customer WHERE id IN (103, 7002)");
        }
        assertStillServing();
    }

    @Test
    void aRefusedFirstSyncOfANewRemoteIdLeavesItsFerryRemoteRowAsTheRegistrationMadeIt() throws Exception {
        // An all-or-nothing server refuses the whole upload for one bad row, after the session got as far as
        // the upload's transaction; what the session wrote to the new id's row must go with it.
        try (FerryServer strict = secondServer(ServerConfig.UPLOAD_POLICY.key(), "all-or-nothing")) {
            RawHttp raw = new RawHttp(strict.port());
            String id = freshId();
            byte[] request = syncPost(bytes(header("\"" + id + "\"", "0") + customers("[\"I\",[300,\"Overdrawn\",\"-5000.00\"]]") + "]}"));
            List<List<String>> registered = cons.query("SELECT * FROM ferry_remote WHERE remote_id = '" + id + "'");
            assertThat(registered).as("the registration made the id's row").hasSize(1);
            Map<String, List<String>> before = snapshot(true);
            RawHttp.Response r = raw.exchange(request);
            assertRefused(r, 422, "UPLOAD_REJECTED");
            assertThat(cons.query("SELECT * FROM ferry_remote WHERE remote_id = '" + id + "'")).isEqualTo(registered);
            assertThat(snapshot(true)).isEqualTo(before);
        }
        assertStillServing();
    }

    @Test
    void afterEveryHostileValueEveryRemoteStillDownloadsEverything() throws Exception {
        // Values at the edges that ARE accepted, next to the refused ones: the download must carry all of them back.
        String rows = String.join(",", List.of(row(900, "c_double", "1.7976931348623157e308"), row(901, "c_dec", "\"9999999999.99\""),
                row(902, "c_date", "\"9999-12-31\""), row(903, "c_date", "\"0001-01-01\""),
                row(904, "c_uuid", "\"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11\""), row(905, "c_real", "3.4028235e38")));
        RawHttp.Response r = http.exchange(syncPost(bytes(syncJson("{\"table\":\"all_types\",\"columns\":" + quoted(ALL_TYPES) + ",\"rows\":[" + rows + "]}"))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (RejectedRow c : perRowCases()) {
            http.exchange(syncPost(bytes(syncJson(allTypes(950, c.column(), c.value())))));
        }
        for (Refused c : refusedCases()) {
            http.exchange(c.request().get());
        }
        RunningFerry.sync(shopA);
        assertThat(shopA.query("SELECT id, c_double = 1.7976931348623157e308, c_dec, c_date, c_uuid FROM all_types WHERE id >= 900 ORDER BY id"))
                .containsExactly(Arrays.asList("900", "1", null, null, null), Arrays.asList("901", null, "9999999999.99", null, null),
                        Arrays.asList("902", null, null, "9999-12-31", null), Arrays.asList("903", null, null, "0001-01-01", null),
                        Arrays.asList("904", null, null, null, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Arrays.asList("905", null, null, null, null));
        RemoteFixture fresh = ferry.remote("sqlite", "shop-fresh");
        RunningFerry.sync(fresh);
        assertThat(fresh.query("SELECT count(*) FROM all_types")).isEqualTo(cons.query("SELECT count(*) FROM all_types"));
    }

    /** Another server on the same consolidated database (servers share nothing else), with these settings. */
    private FerryServer secondServer(String... settings) {
        Map<String, String> flags = new LinkedHashMap<>(Map.of(ServerConfig.CONSOLIDATED_URL.key(), cons.db.url(), ServerConfig.PORT.key(), "0",
                ServerConfig.HOST.key(), "127.0.0.1", ServerConfig.PLAIN_HTTP.key(), "true"));
        for (int i = 0; i < settings.length; i += 2) {
            flags.put(settings[i], settings[i + 1]);
        }
        return FerryServer.start(ServerConfig.load(null, Map.of(), flags));
    }

    // ---- assertions ---------------------------------------------------------------------------------------

    private static void assertRefused(RawHttp.Response r, int status, String code) throws IOException {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as("content type").startsWith("application/json");
        JsonNode error = JSON.readTree(r.body()).path("error");
        if (code != null) {
            assertThat(error.path("code").asText()).as(r.body()).isEqualTo(code);
        }
        assertThat(error.path("message").asText()).as(r.body()).isNotBlank();
        assertThat(error.path("hint").asText()).as("every error has a hint: " + r.body()).isNotBlank();
        assertThat(error.path("retriable").isBoolean()).as(r.body()).isTrue();
        assertThat(JAVA_INTERNALS.matcher(r.body()).find()).as("no Java internals in " + r.body()).isFalse();
        assertThat(r.body().length()).as("a short answer").isLessThan(4096);
    }

    /** A real remote's normal sync still works (waiting out a connection the server is about to cut). */
    private void assertStillServing() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> Cli.run("remote", "sync", "--db", shopA.dbArg()).exitCode() == 0);
    }

    /** Every row of every table (the sync log aside, which records refusals), sorted, per table; {@code ferry}: Ferry's own tables too. */
    private Map<String, List<String>> snapshot(boolean ferryTables) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = cons.db.connect(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " AND table_type = 'BASE TABLE' AND table_name <> 'ferry_sync_log' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                if (!ferryTables && !DATA_TABLES.contains(t)) {
                    continue;
                }
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            sb.append(rs.getString(i)).append('|');
                        }
                        rows.add(sb.toString());
                    }
                }
                Collections.sort(rows);
                out.put(t, rows);
            }
        }
        return out;
    }

    private Map<String, List<String>> dataTables() throws Exception {
        return snapshot(false);
    }
}
