package dev.ferry.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.server.auth.ThrottlePolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's validated, immutable settings. Sources, lowest to highest: the declared defaults, a
 * YAML file, {@code FERRY_*} environment variables, command-line flags. Unknown keys in the file are
 * refused (a typo must not silently fall back to a default).
 */
public record ServerConfig(String consolidatedUrl, String consolidatedUser, String consolidatedPassword, int poolSize,
                           String host, int port, List<String> tables, UploadPolicy uploadPolicy, int maxRetries,
                           Duration retryBackoff, Duration lockTimeout, long spillThresholdRows, int passwordIterations,
                           ConflictSettings conflicts, TlsSettings tls, ThrottlePolicy loginThrottle, Publications publications,
                           Limits limits, ColumnChoice columns, KeyRangeSettings keyRanges) {

    /** Per-table settings: {@code sync.tables.<table>.columns}, {@code sync.tables.<table>.excludeColumns}. */
    public static final String TABLE_SETTINGS_PREFIX = "sync.tables.";
    public static final String DEFAULT_URL = "jdbc:h2:file:./ferry-data/consolidated;AUTO_SERVER=TRUE";
    public static final int DEFAULT_PORT = 8765;

    public static final ConfigOption<String> CONSOLIDATED_URL = new ConfigOption<>("consolidated.url", DEFAULT_URL, "JDBC URL",
            "the consolidated database (PostgreSQL, MariaDB or H2)", s -> s, s -> s.startsWith("jdbc:"), "a JDBC URL starting with jdbc:");
    public static final ConfigOption<String> CONSOLIDATED_USER = new ConfigOption<>("consolidated.user", "", "",
            "database user, when not in the URL", s -> s, s -> true, "any text");
    public static final ConfigOption<String> CONSOLIDATED_PASSWORD = new ConfigOption<>("consolidated.password", "", "",
            "database password, when not in the URL", s -> s, s -> true, "any text");
    public static final ConfigOption<Integer> POOL_SIZE = new ConfigOption<>("consolidated.poolSize", "10", "connections",
            "maximum pooled connections to the consolidated database", Integer::parseInt, n -> n >= 2 && n <= 500, "an integer from 2 to 500");
    public static final ConfigOption<String> HOST = new ConfigOption<>("server.host", "0.0.0.0", "address",
            "address the HTTP server listens on", s -> s, s -> !s.isBlank(), "a host name or IP address");
    public static final ConfigOption<Integer> PORT = new ConfigOption<>("server.port", String.valueOf(DEFAULT_PORT), "TCP port",
            "port the HTTP server listens on (0 = any free port)", Integer::parseInt, n -> n >= 0 && n <= 65535, "an integer from 0 to 65535");
    public static final ConfigOption<List<String>> TABLES = new ConfigOption<>("sync.tables", "", "table names",
            "tables to synchronize, comma-separated; empty = every table with a primary key",
            s -> s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList(),
            l -> true, "comma-separated table names");
    // Issue 13: keys created offline (docs/SCHEMAS.md "Keys created offline").
    public static final ConfigOption<List<String>> KEY_RANGE_TABLES = new ConfigOption<>("sync.keyRanges.tables", "", "table names",
            "tables whose remotes insert rows with keys from ranges the server hands each of them, comma-separated (empty = none)",
            s -> s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList(),
            l -> true, "comma-separated table names");
    public static final ConfigOption<Long> KEY_RANGE_SIZE = new ConfigOption<>("sync.keyRanges.size", "1000", "keys",
            "keys in one range; a remote gets a new range in the sync that finds it with fewer than half this many left",
            Long::parseLong, n -> n >= 2 && n <= 1_000_000_000L, "an integer from 2 to 1000000000");
    public static final ConfigOption<UploadPolicy> UPLOAD_POLICY = new ConfigOption<>("sync.uploadPolicy", "per-row", "",
            "per-row: apply good rows and report bad ones; all-or-nothing: reject the whole upload if any row fails",
            UploadPolicy::parse, p -> true, "per-row or all-or-nothing");
    public static final ConfigOption<Integer> MAX_RETRIES = new ConfigOption<>("sync.maxRetries", "10", "attempts",
            "times an upload is rolled back and applied again after a deadlock or lock timeout", Integer::parseInt,
            n -> n >= 0 && n <= 1000, "an integer from 0 to 1000");
    public static final ConfigOption<Duration> RETRY_BACKOFF = new ConfigOption<>("sync.retryBackoffMillis", "50", "ms",
            "base of the jittered exponential back-off between upload retries (capped at 5 s)",
            s -> Duration.ofMillis(Long.parseLong(s)), d -> !d.isNegative() && d.toMillis() <= 60_000, "milliseconds from 0 to 60000");
    public static final ConfigOption<Duration> LOCK_TIMEOUT = new ConfigOption<>("sync.lockTimeoutSeconds", "10", "s",
            "how long a sync waits for another sync of the same remote (or a row lock) before failing",
            s -> Duration.ofSeconds(Long.parseLong(s)), d -> d.getSeconds() >= 1 && d.getSeconds() <= 3600, "seconds from 1 to 3600");
    public static final ConfigOption<Long> SPILL_ROWS = new ConfigOption<>("sync.spillThresholdRows", "20000", "rows",
            "uploaded rows held in memory before the held upload spills to a temporary file", Long::parseLong,
            n -> n >= 0, "a non-negative integer");
    public static final ConfigOption<Integer> PASSWORD_ITERATIONS = new ConfigOption<>("auth.passwordIterations", "210000", "iterations",
            "PBKDF2-HMAC-SHA512 iterations for newly stored passwords", Integer::parseInt,
            n -> n >= 10_000 && n <= 10_000_000, "an integer from 10000 to 10000000");
    public static final ConfigOption<Integer> THROTTLE_MAX_FAILURES = new ConfigOption<>("auth.throttle.maxFailures",
            String.valueOf(ThrottlePolicy.DEFAULT_MAX_FAILURES), "failures",
            "failed logins of one user name, client address or remote id within the window that block it", Integer::parseInt,
            n -> n >= 1 && n <= 1000, "an integer from 1 to 1000");
    public static final ConfigOption<Duration> THROTTLE_WINDOW = new ConfigOption<>("auth.throttle.windowSeconds",
            String.valueOf(ThrottlePolicy.DEFAULT_WINDOW_SECONDS), "s", "how long failed logins are counted together",
            s -> Duration.ofSeconds(Long.parseLong(s)), d -> d.getSeconds() >= 1 && d.getSeconds() <= 86_400, "seconds from 1 to 86400");
    public static final ConfigOption<Duration> THROTTLE_BLOCK = new ConfigOption<>("auth.throttle.blockSeconds",
            String.valueOf(ThrottlePolicy.DEFAULT_BLOCK_SECONDS), "s",
            "how long the first block lasts (HTTP 429 with Retry-After); each further block in a row twice as long",
            s -> Duration.ofSeconds(Long.parseLong(s)), d -> d.getSeconds() >= 1 && d.getSeconds() <= 86_400, "seconds from 1 to 86400");
    public static final ConfigOption<Duration> THROTTLE_MAX_BLOCK = new ConfigOption<>("auth.throttle.maxBlockSeconds",
            String.valueOf(ThrottlePolicy.DEFAULT_MAX_BLOCK_SECONDS), "s", "the longest a block grows by doubling",
            s -> Duration.ofSeconds(Long.parseLong(s)), d -> d.getSeconds() >= 1 && d.getSeconds() <= 604_800, "seconds from 1 to 604800");

    public static final ConfigOption<String> CONFLICTS_DEFAULT = new ConfigOption<>("conflicts.default", "server-wins", "policy",
            "conflict policy of tables without their own entry under conflicts.tables (docs/CONFLICTS.md)", s -> s,
            ConflictSettings.DEFAULTABLE::contains, String.join(", ", ConflictSettings.DEFAULTABLE));

    // TLS (issue 11; docs/SECURITY.md "TLS"): one of the two ways, or plain HTTP explicitly.
    public static final ConfigOption<String> TLS_KEYSTORE = new ConfigOption<>("server.tls.keystore", "", "file",
            "PKCS#12 keystore holding the server's private key and certificate chain", s -> s, s -> true, "a file path");
    public static final ConfigOption<String> TLS_KEYSTORE_PASSWORD = new ConfigOption<>("server.tls.keystorePassword", "", "",
            "password of server.tls.keystore (and of its key)", s -> s, s -> true, "any text");
    public static final ConfigOption<String> TLS_CERTIFICATE = new ConfigOption<>("server.tls.certificate", "", "file",
            "PEM certificate chain, server certificate first (instead of a keystore)", s -> s, s -> true, "a file path");
    public static final ConfigOption<String> TLS_KEY = new ConfigOption<>("server.tls.key", "", "file",
            "PEM PKCS#8 private key (RSA or EC, unencrypted) of server.tls.certificate", s -> s, s -> true, "a file path");
    public static final ConfigOption<Boolean> PLAIN_HTTP = new ConfigOption<>("server.plainHttp", "false", "",
            "serve plain HTTP without TLS (warned about unless server.host is a loopback address)",
            ServerConfig::bool, b -> true, "true or false");

    // Issue 11: what one request may cost the server (docs/SECURITY.md "Limits").
    public static final ConfigOption<Long> LIMIT_REQUEST_BYTES = new ConfigOption<>("limits.requestBytes", String.valueOf(256L << 20), "bytes",
            "largest request body, counted as sent and after gzip decompression (beyond: 413)", Long::parseLong, n -> n >= 1024, "an integer of 1024 or more");
    public static final ConfigOption<Long> LIMIT_ROWS = new ConfigOption<>("limits.rowsPerUpload", "1000000", "rows",
            "most upload rows in one sync (beyond: 413)", Long::parseLong, n -> n >= 1, "a positive integer");
    public static final ConfigOption<Integer> LIMIT_VALUE_BYTES = new ConfigOption<>("limits.valueBytes", String.valueOf(16 << 20), "characters",
            "longest single value in a request, as JSON text (beyond: 413)", Integer::parseInt, n -> n >= 1024, "an integer of 1024 or more");
    public static final ConfigOption<Integer> LIMIT_HEADER_BYTES = new ConfigOption<>("limits.headerBytes", "16384", "bytes",
            "largest request line plus headers (beyond: 431)", Integer::parseInt, n -> n >= 1024 && n <= 1 << 20, "an integer from 1024 to 1048576");
    public static final ConfigOption<Duration> LIMIT_IDLE_TIMEOUT = new ConfigOption<>("limits.idleTimeoutSeconds", "30", "s",
            "a connection that sends nothing for this long, in its headers or its body, is cut",
            s -> Duration.ofSeconds(Long.parseLong(s)), d -> d.getSeconds() >= 1 && d.getSeconds() <= 3600, "seconds from 1 to 3600");
    public static final ConfigOption<Long> LIMIT_MIN_BODY_RATE = new ConfigOption<>("limits.minBodyBytesPerSecond", "1024", "bytes/s",
            "a request body arriving slower than this on average is cut (0 = no minimum)", Long::parseLong, n -> n >= 0, "a non-negative integer");
    // Issue 12: a sync needs at most one pooled connection at a time, so as many syncs as connections
    // run at once and none waits for the pool; the others wait in a bounded queue, not for the pool.
    public static final ConfigOption<Integer> LIMIT_CONCURRENT_SYNCS = new ConfigOption<>("limits.concurrentSyncs", "0", "syncs",
            "syncs served at once; beyond, a sync waits in the queue (0 = consolidated.poolSize)", Integer::parseInt,
            n -> n >= 0 && n <= 10_000, "an integer from 0 to 10000");
    public static final ConfigOption<Integer> LIMIT_QUEUED_SYNCS = new ConfigOption<>("limits.queuedSyncs", "200", "syncs",
            "syncs that may wait for a slot at once; beyond, a retriable 503 with Retry-After at once", Integer::parseInt,
            n -> n >= 0 && n <= 10_000, "an integer from 0 to 10000");
    public static final ConfigOption<Duration> LIMIT_SYNC_QUEUE_WAIT = new ConfigOption<>("limits.syncQueueMillis", "10000", "ms",
            "how long a sync waits in the queue for a slot before a retriable 503 with Retry-After (0 = not at all)",
            s -> Duration.ofMillis(Long.parseLong(s)), d -> !d.isNegative() && d.toMillis() <= 600_000, "milliseconds from 0 to 600000");
    public static final ConfigOption<Integer> LIMIT_HTTP_THREADS = new ConfigOption<>("limits.httpThreads", "0", "threads",
            "Jetty request threads; each running or queued sync holds one (0 = limits.concurrentSyncs + limits.queuedSyncs + "
                    + Limits.SPARE_HTTP_THREADS + ")", Integer::parseInt, n -> n >= 0 && n <= 10_000, "an integer from 0 to 10000");
    public static final ConfigOption<Integer> LIMIT_ACCEPT_QUEUE = new ConfigOption<>("limits.acceptQueue", "1024", "connections",
            "connections the kernel holds before the server accepts them (listen backlog, capped by the OS's somaxconn)", Integer::parseInt,
            n -> n >= 1 && n <= 65_535, "an integer from 1 to 65535");

    public static final List<ConfigOption<?>> OPTIONS = List.of(CONSOLIDATED_URL, CONSOLIDATED_USER, CONSOLIDATED_PASSWORD, POOL_SIZE,
            HOST, PORT, TABLES, KEY_RANGE_TABLES, KEY_RANGE_SIZE, UPLOAD_POLICY, MAX_RETRIES, RETRY_BACKOFF, LOCK_TIMEOUT, SPILL_ROWS, PASSWORD_ITERATIONS, CONFLICTS_DEFAULT,
            TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, TLS_CERTIFICATE, TLS_KEY, PLAIN_HTTP,
            THROTTLE_MAX_FAILURES, THROTTLE_WINDOW, THROTTLE_BLOCK, THROTTLE_MAX_BLOCK,
            LIMIT_REQUEST_BYTES, LIMIT_ROWS, LIMIT_VALUE_BYTES, LIMIT_HEADER_BYTES, LIMIT_IDLE_TIMEOUT, LIMIT_MIN_BODY_RATE, LIMIT_CONCURRENT_SYNCS,
            LIMIT_QUEUED_SYNCS, LIMIT_SYNC_QUEUE_WAIT, LIMIT_HTTP_THREADS, LIMIT_ACCEPT_QUEUE);

    /** Defaults only. */
    public static ServerConfig defaults() {
        return load(null, Map.of(), Map.of());
    }

    /**
     * Resolves every option.
     *
     * @param file  YAML file, or null
     * @param env   environment variables (normally {@code System.getenv()})
     * @param flags dotted keys set on the command line
     */
    public static ServerConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> text = new LinkedHashMap<>();
        for (ConfigOption<?> o : OPTIONS) {
            text.put(o.key(), o.defaultText());
        }
        if (file != null) {
            text.putAll(readYaml(file));
        }
        for (ConfigOption<?> o : OPTIONS) {
            String v = env.get(o.envName());
            if (v != null) {
                text.put(o.key(), v);
            }
        }
        for (Map.Entry<String, String> f : flags.entrySet()) {
            if (OPTIONS.stream().noneMatch(o -> o.key().equals(f.getKey())) && !f.getKey().startsWith(TABLE_SETTINGS_PREFIX)) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "unknown setting " + f.getKey());
            }
            text.put(f.getKey(), f.getValue());
        }
        List<String> tables = new ArrayList<>(TABLES.parse(text.get(TABLES.key())));
        ColumnChoice columns = columnChoice(prefixed(text, TABLE_SETTINGS_PREFIX), tables);
        return new ServerConfig(CONSOLIDATED_URL.parse(text.get(CONSOLIDATED_URL.key())),
                text.get(CONSOLIDATED_USER.key()), text.get(CONSOLIDATED_PASSWORD.key()),
                POOL_SIZE.parse(text.get(POOL_SIZE.key())), HOST.parse(text.get(HOST.key())), PORT.parse(text.get(PORT.key())),
                List.copyOf(tables), UPLOAD_POLICY.parse(text.get(UPLOAD_POLICY.key())),
                MAX_RETRIES.parse(text.get(MAX_RETRIES.key())), RETRY_BACKOFF.parse(text.get(RETRY_BACKOFF.key())),
                LOCK_TIMEOUT.parse(text.get(LOCK_TIMEOUT.key())), SPILL_ROWS.parse(text.get(SPILL_ROWS.key())),
                PASSWORD_ITERATIONS.parse(text.get(PASSWORD_ITERATIONS.key())),
                ConflictSettings.parse(CONFLICTS_DEFAULT.parse(text.get(CONFLICTS_DEFAULT.key())), prefixed(text, ConflictSettings.TABLES_PREFIX)),
                new TlsSettings(TlsSettings.path(TLS_KEYSTORE.parse(text.get(TLS_KEYSTORE.key()))), text.get(TLS_KEYSTORE_PASSWORD.key()),
                        TlsSettings.path(TLS_CERTIFICATE.parse(text.get(TLS_CERTIFICATE.key()))),
                        TlsSettings.path(TLS_KEY.parse(text.get(TLS_KEY.key()))), PLAIN_HTTP.parse(text.get(PLAIN_HTTP.key()))),
                throttle(text), Publications.parse(prefixed(text, Publications.PREFIX)), limits(text), columns,
                new KeyRangeSettings(KEY_RANGE_TABLES.parse(text.get(KEY_RANGE_TABLES.key())), KEY_RANGE_SIZE.parse(text.get(KEY_RANGE_SIZE.key()))));
    }

    /**
     * {@code sync.tables.<table>.columns} and {@code .excludeColumns} (comma-separated, or YAML lists),
     * and {@code sync.tables.<table>} with nothing under it (YAML {@code table: {}}): each such table is
     * named as if listed in {@code sync.tables}.
     */
    private static ColumnChoice columnChoice(Map<String, String> perTable, List<String> named) {
        Map<String, ColumnChoice.Columns> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : perTable.entrySet()) {
            String rest = e.getKey().substring(TABLE_SETTINGS_PREFIX.length());
            int dot = rest.lastIndexOf('.');
            String table = dot < 0 ? rest : rest.substring(0, dot);
            String setting = dot < 0 ? "" : rest.substring(dot + 1);
            if (table.isEmpty() || !setting.isEmpty() && !setting.equals("columns") && !setting.equals("excludeColumns")) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "unknown setting " + e.getKey(),
                        "a table under sync.tables takes columns (the only ones to synchronize) or excludeColumns (the ones to leave out)");
            }
            if (!named.contains(table)) {
                named.add(table);
            }
            ColumnChoice.Columns was = out.getOrDefault(table, new ColumnChoice.Columns(null, List.of()));
            List<String> names = TABLES.parse(e.getValue());
            if (setting.equals("columns")) {
                if (names.isEmpty()) {
                    throw new FerryException(ErrorCode.CONFIG_INVALID, e.getKey() + " is empty", "list the columns to synchronize, or remove the setting");
                }
                out.put(table, new ColumnChoice.Columns(names, was.excluded()));
            } else if (setting.equals("excludeColumns")) {
                out.put(table, new ColumnChoice.Columns(was.only(), names));
            } else {
                out.putIfAbsent(table, was);
            }
        }
        return new ColumnChoice(out);
    }

    private static Limits limits(Map<String, String> text) {
        int concurrent = LIMIT_CONCURRENT_SYNCS.parse(text.get(LIMIT_CONCURRENT_SYNCS.key()));
        int syncs = concurrent == 0 ? POOL_SIZE.parse(text.get(POOL_SIZE.key())) : concurrent;
        int queued = LIMIT_QUEUED_SYNCS.parse(text.get(LIMIT_QUEUED_SYNCS.key()));
        int threads = LIMIT_HTTP_THREADS.parse(text.get(LIMIT_HTTP_THREADS.key()));
        int needed = syncs + queued + Limits.SPARE_HTTP_THREADS;
        if (threads != 0 && threads < needed) {
            // Syncs waiting for a slot would take every thread, and nothing else (health, acknowledgements) would be answered.
            throw new FerryException(ErrorCode.CONFIG_INVALID, LIMIT_HTTP_THREADS.key() + " is " + threads + ", fewer than "
                    + LIMIT_CONCURRENT_SYNCS.key() + " + " + LIMIT_QUEUED_SYNCS.key() + " + " + Limits.SPARE_HTTP_THREADS + " = " + needed,
                    "raise " + LIMIT_HTTP_THREADS.key() + " or set it to 0, or lower " + LIMIT_QUEUED_SYNCS.key());
        }
        return new Limits(LIMIT_REQUEST_BYTES.parse(text.get(LIMIT_REQUEST_BYTES.key())), LIMIT_ROWS.parse(text.get(LIMIT_ROWS.key())),
                LIMIT_VALUE_BYTES.parse(text.get(LIMIT_VALUE_BYTES.key())), LIMIT_HEADER_BYTES.parse(text.get(LIMIT_HEADER_BYTES.key())),
                LIMIT_IDLE_TIMEOUT.parse(text.get(LIMIT_IDLE_TIMEOUT.key())), LIMIT_MIN_BODY_RATE.parse(text.get(LIMIT_MIN_BODY_RATE.key())),
                syncs, queued, LIMIT_SYNC_QUEUE_WAIT.parse(text.get(LIMIT_SYNC_QUEUE_WAIT.key())), threads == 0 ? needed : threads,
                LIMIT_ACCEPT_QUEUE.parse(text.get(LIMIT_ACCEPT_QUEUE.key())));
    }

    private static ThrottlePolicy throttle(Map<String, String> text) {
        ThrottlePolicy p = new ThrottlePolicy(THROTTLE_MAX_FAILURES.parse(text.get(THROTTLE_MAX_FAILURES.key())),
                THROTTLE_WINDOW.parse(text.get(THROTTLE_WINDOW.key())), THROTTLE_BLOCK.parse(text.get(THROTTLE_BLOCK.key())),
                THROTTLE_MAX_BLOCK.parse(text.get(THROTTLE_MAX_BLOCK.key())));
        if (p.maxBlock().compareTo(p.block()) < 0) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, THROTTLE_MAX_BLOCK.key() + " is " + p.maxBlock().getSeconds() + " s, shorter than "
                    + THROTTLE_BLOCK.key() + " (" + p.block().getSeconds() + " s)");
        }
        return p;
    }

    /** Strict: "yes" or "1" must not silently mean false. */
    private static Boolean bool(String s) {
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        throw new IllegalArgumentException(s);
    }

    private static Map<String, String> prefixed(Map<String, String> text, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        text.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "configuration file " + file + " must hold a mapping of settings");
            }
            flatten("", root, out);
        }
        for (String key : out.keySet()) {
            if (!key.startsWith(ConflictSettings.TABLES_PREFIX) && !key.startsWith(Publications.PREFIX) && !key.startsWith(TABLE_SETTINGS_PREFIX)
                    && OPTIONS.stream().noneMatch(o -> o.key().equals(key))) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "unknown setting " + key + " in " + file,
                        "known settings: " + OPTIONS.stream().map(ConfigOption::key).toList());
            }
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject() && v.isEmpty() && key.startsWith(TABLE_SETTINGS_PREFIX)) {
                // "sync: tables: film: {}" names the table with no settings of its own.
                out.put(key, "");
            } else if (v.isObject()) {
                flatten(key, v, out);
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(item.asText()));
                out.put(key, String.join(",", items));
            } else {
                out.put(key, v.isNull() ? "" : v.asText());
            }
        }
    }
}
