package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: PostgreSQL enums, domains and types with an exact text form (interval, inet, cidr, macaddr,
 * money, xml, bit strings, tsvector, ranges, timetz, point) synchronize to SQLite and H2 remotes as their
 * text, arrays as JSON arrays, and back through the server's own conversion: edits on both sides compared cell by cell, several
 * updates in one upload (the set-based statement), and a value the type refuses rejected for its row only.
 */
class PostgresRichTypesIT {
    private static final String COLUMNS = "id, mood, email, span, addr, net, mac, price, doc, flags, words, seats, at, spot, tags, grid";
    private static final List<String> ARRAYS = List.of("tags", "grid");

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2"})
    void enumsDomainsAndTextFormTypesSyncBothWaysCellByCell(String kind) throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.postgres());
        cons.jdbc("CREATE TYPE mood AS ENUM ('happy', 'sad', 'calm')");
        cons.jdbc("CREATE DOMAIN email AS varchar(40) CHECK (VALUE LIKE '%@%')");
        cons.jdbc("CREATE TABLE profile (id INTEGER PRIMARY KEY, mood mood NOT NULL, email email, span INTERVAL, addr INET, net CIDR,"
                + " mac MACADDR, price MONEY, doc XML, flags BIT(3), words TSVECTOR, seats INT4RANGE, at TIMETZ, spot POINT, tags TEXT[], grid INT8[][])");
        cons.jdbc("INSERT INTO profile VALUES (1, 'happy', 'ada@example.org', '1 day 02:00:00', '192.168.0.1/24', '10.0.0.0/8',"
                + " '08:00:2b:01:02:03', 12.5, '<a>b</a>', B'101', 'fat cat', '[1,10)', '12:00:00+02', '(1,2)', '{a,\"b c\",NULL}', '{{1,2},{3,4}}'),"
                + " (2, 'sad', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote(kind, "site-" + kind);
            RunningFerry.sync(r);
            assertSame(cons, r);

            r.app("UPDATE profile SET mood = 'calm', addr = '10.1.2.3', span = '03:00:00', flags = '011', tags = " + json(kind, "[\"x\", \"y z\"]") + " WHERE id = 1");
            r.app("UPDATE profile SET email = 'grace@example.org', seats = '[3,4)' WHERE id = 2");
            r.app("INSERT INTO profile (id, mood, words, spot, grid) VALUES (3, 'happy', 'a b', '(3,4)', " + json(kind, "[[5,6]]") + ")");
            RunningFerry.sync(r);
            assertThat(cons.query("SELECT mood::text, addr::text, span::text, flags::text FROM profile WHERE id = 1"))
                    .containsExactly(List.of("calm", "10.1.2.3/32", "03:00:00", "011"));
            assertThat(cons.query("SELECT email::text, seats::text FROM profile WHERE id = 2")).containsExactly(List.of("grace@example.org", "[3,4)"));
            assertThat(cons.query("SELECT words::text, spot::text, grid::text FROM profile WHERE id = 3")).containsExactly(List.of("'a' 'b'", "(3,4)", "{{5,6}}"));
            assertThat(cons.query("SELECT tags::text FROM profile WHERE id = 1")).containsExactly(List.of("{x,\"y z\"}"));

            cons.client("UPDATE profile SET seats = '[5,6)', mood = 'sad' WHERE id = 3");
            r.app("UPDATE profile SET mood = 'angry' WHERE id = 2");
            r.app("UPDATE profile SET email = 'no at sign' WHERE id = 1");
            Cli.Result res = Cli.run("remote", "sync", "--db", r.dbArg());
            assertThat(res.exitCode()).as(res.all()).isZero();
            assertThat(r.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced' ORDER BY pk"))
                    .as("each value the type refuses fails its own row").containsExactly(List.of("[1]", "error"), List.of("[2]", "error"));
            assertThat(cons.query("SELECT mood::text, email::text FROM profile WHERE id IN (1, 2) ORDER BY id"))
                    .containsExactly(List.of("calm", "ada@example.org"), List.of("sad", "grace@example.org"));
            assertThat(r.query("SELECT seats, mood FROM profile WHERE id = 3"))
                    .containsExactly(List.of("[5,6)", "sad"));
        }
    }

    /** Every cell of the remote equals the server's text of it. */
    private static void assertSame(ConsolidatedFixture cons, RemoteFixture r) throws Exception {
        String serverText = String.join(", ", List.of(COLUMNS.split(", ")).stream()
                .map(col -> ARRAYS.contains(col) ? "to_json(" + col + ")::text" : col + "::text").toList());
        List<List<String>> server = cons.query("SELECT " + serverText + " FROM profile ORDER BY id");
        // The application's plain SQL, unquoted on both remotes (an H2 remote names the table PROFILE, issue 13).
        assertThat(r.query("SELECT " + COLUMNS + " FROM profile ORDER BY 1")).isEqualTo(server);
    }

    /** A JSON literal as the application writes it: H2 takes a plain string literal for a JSON string, so it says JSON. */
    private static String json(String kind, String text) {
        return (kind.equals("h2") ? "JSON '" : "'") + text + "'";
    }
}
