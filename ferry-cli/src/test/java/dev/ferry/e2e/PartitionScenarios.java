package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: partitions end to end, through the real CLI and server against a real consolidated
 * database, SQLite remotes read with plain JDBC. Two users own one remote each: north (region 1) and
 * south (region 2). Published: customers by region, orders through their customer, products
 * download-only, tasks through the membership table {@code project_member} (synchronized, not
 * published), notes by region with a column list that leaves out {@code secret} (NOT NULL with a
 * default). Each test asserts that every remote holds exactly its share.
 */
abstract class PartitionScenarios {
    static final String CONFIG = """
            publications:
              field:
                tables:
                  customer: { filter: "region_id = :region_id" }
                  orders:   { filter: "customer_id IN (SELECT id FROM customer WHERE region_id = :region_id)" }
                  product:  { direction: download-only }
                  task:     { filter: "project_id IN (SELECT project_id FROM project_member WHERE user_name = :user_name)" }
                  note:     { filter: "region_id = :region_id", columns: [id, region_id, body] }
              catalog:
                tables:
                  product:  { direction: download-only }
            """;

    protected ConsolidatedFixture cons;
    protected RunningFerry ferry;
    private Path config;
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    abstract String consolidatedKind();

    /**
     * CREATE TABLE statements of customer, orders, product, project_member, task and
     * note (id BIGINT key, region_id INTEGER NOT NULL, body VARCHAR(100), secret VARCHAR(100) NOT NULL DEFAULT 'hidden')
     * in this database's types.
     */
    abstract List<String> schema();

    @BeforeEach
    void start() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        for (String ddl : schema()) {
            cons.jdbc(ddl);
        }
        cons.jdbc("INSERT INTO customer (id, name, region_id) VALUES (1, 'c1', 1), (2, 'c2', 1), (3, 'c3', 2)");
        cons.jdbc("INSERT INTO orders (id, customer_id, total) VALUES (10, 1, 100), (11, 2, 110), (12, 3, 120)");
        cons.jdbc("INSERT INTO product (id, name) VALUES (100, 'p100')");
        cons.jdbc("INSERT INTO project_member (project_id, user_name) VALUES (7, 'north'), (8, 'south')");
        cons.jdbc("INSERT INTO task (id, project_id, title) VALUES (70, 7, 't70'), (71, 7, 't71'), (80, 8, 't80')");
        cons.jdbc("INSERT INTO note (id, region_id, body, secret) VALUES (1, 1, 'b1', 's1'), (2, 2, 'b2', 's2')");
        config = Files.createTempFile("ferry-partitions-", ".yaml");
        Files.writeString(config, CONFIG);
        ferry = RunningFerry.start(cons, config, Map.of());
        for (String[] u : new String[][] {{"north", "1"}, {"south", "2"}}) {
            ok(Cli.run("user", "add", "--consolidated", cons.db.url(), "--name", u[0], "--password", "pw-" + u[0], "--param", "region_id=" + u[1]));
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
        if (ferry != null) {
            ferry.close();
        }
        Files.deleteIfExists(config);
    }

    RemoteFixture remote(String user, String serverUrl) throws Exception {
        return remote("sqlite", user, serverUrl);
    }

    RemoteFixture remote(String kind, String user, String serverUrl) throws Exception {
        RemoteFixture r = ferry.uninitialized(kind, user + "-1");
        ok(Cli.run("remote", "init", "--db", r.dbArg(), "--server", serverUrl, "--remote-id", user + "-1", "--user", user, "--password", "pw-" + user));
        return r;
    }

    static Cli.Result ok(Cli.Result res) {
        assertThat(res.exitCode()).as(res.all()).isZero();
        return res;
    }

    /** The ids in a remote's table, read with the application's plain SQL (an H2 remote names {@code customer} CUSTOMER, issue 13). */
    List<String> ids(RemoteFixture r, String table) throws Exception {
        return r.query("SELECT id FROM " + table + " ORDER BY id").stream().map(row -> row.get(0)).toList();
    }

    void assertShare(RemoteFixture r, List<String> customers, List<String> orders, List<String> tasks) throws Exception {
        assertThat(ids(r, "customer")).as("customers").isEqualTo(customers);
        assertThat(ids(r, "orders")).as("orders").isEqualTo(orders);
        assertThat(ids(r, "task")).as("tasks").isEqualTo(tasks);
        assertThat(ids(r, "product")).as("products, download-only and unfiltered").isEqualTo(List.of("100"));
    }

    @Test
    void eachRemoteGetsItsShareAndRowsMoveWithFilterColumnsMembershipRowsAndParameters() throws Exception {
        RemoteFixture north = remote("north", ferry.url);
        RemoteFixture south = remote("south", ferry.url);
        assertThat(north.query("SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = 'project_member'"))
                .as("an unpublished table is not created on the remote").isEmpty();
        RunningFerry.sync(north);
        RunningFerry.sync(south);
        assertShare(north, List.of("1", "2"), List.of("10", "11"), List.of("70", "71"));
        assertShare(south, List.of("3"), List.of("12"), List.of("80"));

        // A filter column changes: customer 2 (and its order, through the customer) moves from north to south.
        cons.jdbc("UPDATE customer SET region_id = 2 WHERE id = 2");
        cons.jdbc("INSERT INTO customer (id, name, region_id) VALUES (4, 'c4', 1)");
        RunningFerry.sync(north);
        RunningFerry.sync(south);
        assertShare(north, List.of("1", "4"), List.of("10"), List.of("70", "71"));
        assertShare(south, List.of("2", "3"), List.of("11", "12"), List.of("80"));

        // A membership row goes: project 7's tasks leave north only; back again, they come back.
        cons.jdbc("DELETE FROM project_member WHERE project_id = 7 AND user_name = 'north'");
        RunningFerry.sync(north);
        RunningFerry.sync(south);
        assertShare(north, List.of("1", "4"), List.of("10"), List.of());
        assertShare(south, List.of("2", "3"), List.of("11", "12"), List.of("80"));
        cons.jdbc("INSERT INTO project_member (project_id, user_name) VALUES (7, 'north')");
        RunningFerry.sync(north);
        assertShare(north, List.of("1", "4"), List.of("10"), List.of("70", "71"));

        // A parameter changes: the remote's own overrides its owner's; unset, the owner's applies again.
        ok(Cli.run("remote", "set-param", "--consolidated", cons.db.url(), "--remote", "north-1", "--param", "region_id=2"));
        RunningFerry.sync(north);
        assertShare(north, List.of("2", "3"), List.of("11", "12"), List.of("70", "71"));
        ok(Cli.run("remote", "set-param", "--consolidated", cons.db.url(), "--remote", "north-1", "--unset", "region_id"));
        RunningFerry.sync(north);
        assertShare(north, List.of("1", "4"), List.of("10"), List.of("70", "71"));
        ok(Cli.run("user", "set-param", "--consolidated", cons.db.url(), "--name", "south", "--param", "region_id=1"));
        RunningFerry.sync(south);
        assertShare(south, List.of("1", "4"), List.of("10"), List.of("80"));
    }

    @Test
    void aRemoteSubscribedToOnePublicationCreatesAndGetsOnlyItsTablesAndAnUnknownPublicationIsRefused() throws Exception {
        RemoteFixture shop = ferry.uninitialized("sqlite", "shop-1");
        ok(Cli.run("remote", "init", "--db", shop.dbArg(), "--server", ferry.url, "--remote-id", "shop-1", "--user", "north", "--password", "pw-north",
                "--publication", "catalog"));
        assertThat(shop.query("SELECT lower(name) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'ferry%' AND name NOT LIKE 'sqlite%' ORDER BY name"))
                .isEqualTo(List.of(List.of("product")));
        RunningFerry.sync(shop);
        assertThat(ids(shop, "product")).isEqualTo(List.of("100"));
        assertThat(cons.query("SELECT publication FROM ferry_remote_subscription WHERE remote_id = 'shop-1'")).isEqualTo(List.of(List.of("catalog")));

        RemoteFixture typo = ferry.uninitialized("sqlite", "typo-1");
        Cli.Result refused = Cli.run("remote", "init", "--db", typo.dbArg(), "--server", ferry.url, "--remote-id", "typo-1", "--user", "north",
                "--password", "pw-north", "--publication", "nope");
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(18);
        assertThat(refused.all()).contains("PUBLICATION_NOT_FOUND").contains("nope");
    }

    @Test
    void aParameterSetForNeitherTheRemoteNorItsOwnerFailsTheSyncNamingIt() throws Exception {
        ok(Cli.run("user", "add", "--consolidated", cons.db.url(), "--name", "west", "--password", "pw-west"));
        RemoteFixture west = remote("west", ferry.url);
        Cli.Result failed = Cli.run("remote", "sync", "--db", west.dbArg());
        assertThat(failed.exitCode()).as(failed.all()).isEqualTo(18);
        assertThat(failed.all()).contains("PARTITION_PARAMETER_MISSING").contains(":region_id").contains("ferry remote set-param");
        assertThat(ids(west, "customer")).isEmpty();
        ok(Cli.run("user", "set-param", "--consolidated", cons.db.url(), "--name", "west", "--param", "region_id=2"));
        RunningFerry.sync(west);
        assertShare(west, List.of("3"), List.of("12"), List.of());
    }

    @Test
    void anH2RemoteGetsItsShareAndLosesARowThatLeaves() throws Exception {
        RemoteFixture north = remote("h2", "north", ferry.url);
        RunningFerry.sync(north);
        assertShare(north, List.of("1", "2"), List.of("10", "11"), List.of("70", "71"));
        cons.jdbc("UPDATE customer SET region_id = 2 WHERE id = 1");
        RunningFerry.sync(north);
        assertShare(north, List.of("2"), List.of("11"), List.of("70", "71"));
    }

    @Test
    void uploadsOutsideThePartitionAreForbiddenPerRowAndTheRestApplies() throws Exception {
        RemoteFixture north = remote("north", ferry.url);
        RunningFerry.sync(north);
        north.app("INSERT INTO customer (id, name, region_id) VALUES (5, 'other region', 2);"
                + " INSERT INTO product (id, name) VALUES (101, 'download-only');"
                + " UPDATE customer SET region_id = 2 WHERE id = 1;"
                + " INSERT INTO customer (id, name, region_id) VALUES (6, 'mine', 1);"
                + " UPDATE customer SET name = 'renamed' WHERE id = 2;");
        RunningFerry.sync(north);
        assertThat(cons.query("SELECT id, name, region_id FROM customer ORDER BY id")).as("only the rows inside the partition applied")
                .isEqualTo(List.of(List.of("1", "c1", "1"), List.of("2", "renamed", "1"), List.of("3", "c3", "2"), List.of("6", "mine", "1")));
        assertThat(cons.query("SELECT id FROM product ORDER BY id")).isEqualTo(List.of(List.of("100")));
        assertThat(north.query("SELECT lower(table_name), pk, state, error_code FROM ferry_row_state WHERE state <> 'synced' ORDER BY lower(table_name), pk"))
                .isEqualTo(List.of(List.of("customer", "[1]", "error", "ROW_FORBIDDEN"), List.of("customer", "[5]", "error", "ROW_FORBIDDEN"),
                        List.of("product", "[101]", "error", "ROW_FORBIDDEN")));
        assertThat(cons.query("SELECT id FROM customer WHERE id = 3")).as("south's row is untouched").hasSize(1);
    }

    @Test
    void aPendingEditOfARowThatLeftThePartitionIsAConflictTheServerWins() throws Exception {
        RemoteFixture north = remote("north", ferry.url);
        RemoteFixture south = remote("south", ferry.url);
        RunningFerry.sync(north);
        north.app("UPDATE customer SET name = 'north edit' WHERE id = 2;");
        cons.jdbc("UPDATE customer SET region_id = 2 WHERE id = 2");
        RunningFerry.sync(north);
        assertThat(cons.query("SELECT name, region_id FROM customer WHERE id = 2")).isEqualTo(List.of(List.of("c2", "2")));
        assertThat(cons.query("SELECT remote_id, LOWER(table_name), pk, kind, outcome FROM ferry_conflict"))
                .isEqualTo(List.of(List.of("north-1", "customer", "[2]", "partition-left", "server-kept")));
        assertShare(north, List.of("1"), List.of("10"), List.of("70", "71"));
        assertThat(north.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced'")).isEmpty();
        RunningFerry.sync(south);
        assertShare(south, List.of("2", "3"), List.of("11", "12"), List.of("80"));
    }

    @Test
    void aLostDownloadResponseStillConverges() throws Exception {
        FaultyProxy proxy = new FaultyProxy(ferry.server.port());
        closeLater.add(proxy);
        RemoteFixture north = remote("north", proxy.url());
        RunningFerry.sync(north);
        cons.jdbc("UPDATE customer SET region_id = 2 WHERE id = 2");
        cons.jdbc("INSERT INTO customer (id, name, region_id) VALUES (4, 'c4', 1)");
        proxy.cutResponseAfter(0);
        assertThat(Cli.run("remote", "sync", "--db", north.dbArg()).exitCode()).as("the response was cut").isNotZero();
        assertShare(north, List.of("1", "2"), List.of("10", "11"), List.of("70", "71"));
        RunningFerry.sync(north);
        assertShare(north, List.of("1", "4"), List.of("10"), List.of("70", "71"));
        // A second lost answer after a move back and forth: still exactly the share.
        cons.jdbc("UPDATE customer SET region_id = 1 WHERE id = 2");
        proxy.cutResponseAfter(0);
        assertThat(Cli.run("remote", "sync", "--db", north.dbArg()).exitCode()).isNotZero();
        cons.jdbc("UPDATE customer SET region_id = 2 WHERE id = 2");
        RunningFerry.sync(north);
        assertShare(north, List.of("1", "4"), List.of("10"), List.of("70", "71"));
    }

    @Test
    void aDownloadFileForAPartitionedRemoteHoldsOnlyItsShare() throws Exception {
        RemoteFixture south = remote("south", ferry.url);
        Path file = Files.createTempFile("ferry-partition-", ".ferry");
        try {
            Cli.Result anyone = Cli.run("download-file", "create", "--consolidated", cons.db.url(), "--config", config.toString(), "--full",
                    "--out", file.toString());
            assertThat(anyone.exitCode()).as("a full file for anyone is refused: " + anyone.all()).isNotZero();
            ok(Cli.run("download-file", "create", "--consolidated", cons.db.url(), "--config", config.toString(), "--full", "--remote-id", "south-1",
                    "--out", file.toString()));
            ok(Cli.run("download-file", "apply", "--db", south.dbArg(), "--file", file.toString()));
            assertShare(south, List.of("3"), List.of("12"), List.of("80"));
            assertThat(south.query("SELECT * FROM note")).as("the file carries only the published columns").isEqualTo(List.of(List.of("2", "2", "b2")));
            cons.jdbc("UPDATE customer SET region_id = 1 WHERE id = 3");
            RunningFerry.sync(south);
            assertShare(south, List.of(), List.of(), List.of("80"));
        } finally {
            Files.deleteIfExists(file);
        }
    }
    @Test
    void aColumnListPublishesOnlyItsColumnsAndUnpublishedColumnsKeepTheirServerValues() throws Exception {
        RemoteFixture north = remote("north", ferry.url);
        assertThat(north.query("SELECT lower(name) FROM pragma_table_info('note') ORDER BY cid"))
                .as("the remote's table has only the published columns").isEqualTo(List.of(List.of("id"), List.of("region_id"), List.of("body")));
        RunningFerry.sync(north);
        assertThat(north.query("SELECT id, region_id, body FROM note ORDER BY id")).isEqualTo(List.of(List.of("1", "1", "b1")));

        // A change to an unpublished column leaves the remote's row as it is; a change to a published one arrives.
        cons.jdbc("UPDATE note SET secret = 's1 changed' WHERE id = 1");
        RunningFerry.sync(north);
        assertThat(north.query("SELECT id, region_id, body FROM note ORDER BY id")).isEqualTo(List.of(List.of("1", "1", "b1")));
        cons.jdbc("UPDATE note SET body = 'b1 server' WHERE id = 1");
        RunningFerry.sync(north);
        assertThat(north.query("SELECT id, region_id, body FROM note ORDER BY id")).isEqualTo(List.of(List.of("1", "1", "b1 server")));

        // The remote's update changes only published columns; its insert gets the server's default for the others.
        north.app("UPDATE note SET body = 'b1 north' WHERE id = 1; INSERT INTO note (id, region_id, body) VALUES (3, 1, 'b3');");
        RunningFerry.sync(north);
        assertThat(cons.query("SELECT id, region_id, body, secret FROM note ORDER BY id")).isEqualTo(List.of(
                List.of("1", "1", "b1 north", "s1 changed"), List.of("2", "2", "b2", "s2"), List.of("3", "1", "b3", "hidden")));
        assertThat(north.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced'")).isEmpty();

        // An upload that names an unpublished column (a hostile or outdated client) is refused whole before anything applies:
        // upload rows declare their columns per table, so the request does not fit the remote's schema.
        List<String> tables = north.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'ferry%' AND name NOT LIKE 'sqlite%'")
                .stream().map(row -> "\"" + row.get(0) + "\"").toList();
        String note = tables.stream().filter(t -> t.equalsIgnoreCase("\"note\"")).findFirst().orElseThrow();
        String customer = tables.stream().filter(t -> t.equalsIgnoreCase("\"customer\"")).findFirst().orElseThrow();
        boolean upper = cons.kind().equals("h2");
        String cols = upper ? "[\"ID\", \"REGION_ID\", \"BODY\", \"SECRET\"]" : "[\"id\", \"region_id\", \"body\", \"secret\"]";
        String customerCols = upper ? "[\"ID\", \"NAME\", \"REGION_ID\"]" : "[\"id\", \"name\", \"region_id\"]";
        String body = "{\"protocol\": 1, \"remoteId\": \"north-1\", \"progress\": 0, \"uploadId\": \"u-cols\", \"lastDownload\": 0, \"mode\": \"full\","
                + " \"tables\": " + tables + ", \"upload\": ["
                + "{\"table\": " + customer + ", \"columns\": " + customerCols + ", \"rows\": [[\"I\", [9, \"c9\", 1]]]},"
                + "{\"table\": " + note + ", \"columns\": " + cols + ", \"rows\": [[\"U\", [1, 1, \"b1\", \"planted\"], [1, 1, \"b1 north\", \"s1 changed\"]]]}]}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ferry.url + "/v1/sync"))
                .header("Authorization", "Bearer " + north.query("SELECT credential FROM ferry_state").get(0).get(0))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.body()).contains("SCHEMA_MISMATCH").containsIgnoringCase("secret");
        assertThat(cons.query("SELECT id, body, secret FROM note WHERE id = 1")).isEqualTo(List.of(List.of("1", "b1 north", "s1 changed")));
        assertThat(cons.query("SELECT id FROM customer WHERE id = 9")).as("nothing of the refused request applied").isEmpty();
        RunningFerry.sync(north);
        assertThat(north.query("SELECT id, region_id, body FROM note ORDER BY id")).isEqualTo(List.of(List.of("1", "1", "b1 north"), List.of("3", "1", "b3")));
    }
}
