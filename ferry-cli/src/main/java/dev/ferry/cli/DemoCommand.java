package dev.ferry.cli;

import dev.ferry.client.RemoteDatabase;
import dev.ferry.client.SyncResult;
import dev.ferry.server.FerryServer;
import dev.ferry.server.auth.Users;
import dev.ferry.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ferry demo}: a server on an embedded H2 consolidated database, two SQLite remotes, and a
 * change travelling each way, all printed. Everything lives under {@code ./ferry-demo} or {@code --dir}:
 * a new or empty directory, or one an earlier demo made, whose demo files are replaced
 * ({@link DemoDirectory}); any other directory is refused.
 */
@Command(name = "demo", description = "Start a server on embedded H2, create two SQLite remotes and show changes travelling both ways.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "working directory for the demo: new, empty, or made by an earlier demo"
            + " (whose files are replaced; nothing else is deleted)", defaultValue = "ferry-demo")
    Path dir;

    @Override
    public Integer call() throws Exception {
        DemoDirectory.prepare(dir);
        String consolidated = "jdbc:h2:file:" + dir.resolve(DemoDirectory.CONSOLIDATED).toAbsolutePath() + ";AUTO_SERVER=TRUE";
        say("1. Creating the consolidated database (embedded H2) with tables customer and orders");
        try (Connection c = DriverManager.getConnection(consolidated); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, balance NUMERIC(12,2) NOT NULL)");
            s.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id),"
                    + " total NUMERIC(12,2) NOT NULL, note VARCHAR(200))");
            s.execute("INSERT INTO customer VALUES (1, 'Ada', 120.50), (2, 'Grace', 19.99), (3, 'Linus', 0.00)");
        }
        ServerConfig cfg = ServerConfig.load(null, Map.of(), Map.of(ServerConfig.CONSOLIDATED_URL.key(), consolidated,
                ServerConfig.PORT.key(), "0", ServerConfig.HOST.key(), "127.0.0.1",
                // Loopback only, so plain HTTP crosses no network and the demo stays one command.
                ServerConfig.PLAIN_HTTP.key(), "true"));
        try (FerryServer server = FerryServer.start(cfg)) {
            String url = "http://127.0.0.1:" + server.port();
            say("2. Server running at " + url + "; adding sync user 'demo'");
            new Users(server.database(), cfg.passwordIterations()).add("demo", "demo-password".toCharArray());

            String a = dir.resolve(DemoDirectory.REMOTES.get(0)).toString();
            String b = dir.resolve(DemoDirectory.REMOTES.get(1)).toString();
            say("3. Creating two SQLite remotes: " + a + " and " + b);
            try (RemoteDatabase ra = RemoteDatabase.create(a, url, "shop-a", "demo", "demo-password");
                 RemoteDatabase rb = RemoteDatabase.create(b, url, "shop-b", "demo", "demo-password")) {
                say("4. First sync of each remote downloads the customers");
                report("shop-a", ra.sync());
                report("shop-b", rb.sync());

                say("5. The application on shop-a inserts an order (plain SQL on the SQLite file)");
                exec("jdbc:sqlite:" + a, "INSERT INTO orders (id, customer_id, total, note) VALUES (100, 2, '42.00', 'first order from shop A')");
                show("shop-a row states", "jdbc:sqlite:" + a, "SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced'");
                report("shop-a", ra.sync());
                report("shop-b", rb.sync());
                show("shop-b now has the order", "jdbc:sqlite:" + b, "SELECT id, customer_id, total, note FROM orders");

                say("6. Another application changes the consolidated database directly (plain SQL on H2)");
                exec(consolidated, "UPDATE customer SET balance = 99.95 WHERE id = 1");
                report("shop-a", ra.sync());
                show("shop-a sees the new balance", "jdbc:sqlite:" + a, "SELECT id, name, balance FROM customer ORDER BY id");
                report("shop-b", rb.sync());
            }
        }
        say("Demo finished. Inspect the remotes with: ./ferry remote status --db " + dir.resolve(DemoDirectory.REMOTES.get(0))
                + "   (start the server again with ./ferry server --host 127.0.0.1 --plain-http --consolidated '" + consolidated + "')");
        return 0;
    }

    private static void say(String s) {
        System.out.println();
        System.out.println("== " + s);
    }

    private static void report(String remote, SyncResult r) {
        RemoteCommand.print(System.out, remote, r);
    }

    private static void exec(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void show(String title, String url, String sql) throws SQLException {
        System.out.println("-- " + title + ": " + sql);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder line = new StringBuilder("   ");
                for (int i = 1; i <= n; i++) {
                    line.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                System.out.println(line);
            }
        }
    }
}
