package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** CLI contracts outside a sync: user management and provisioning refusals, with their exit codes. */
class CliCommandsIT {
    @Test
    void userAddStoresASaltedHashAndRefusesADuplicate() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Cli.Result ok = Cli.run("user", "add", "--consolidated", db.url(), "--name", "alice", "--password", "s3cret");
            assertThat(ok.exitCode()).as(ok.all()).isZero();
            assertThat(ok.out()).contains("Added user alice");
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT password_hash, salt, iterations FROM ferry_user WHERE user_name = 'alice'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).doesNotContain("s3cret").hasSizeGreaterThan(40);
                assertThat(rs.getString(2)).isNotBlank();
                assertThat(rs.getInt(3)).isEqualTo(210_000);
            }
            Cli.Result dup = Cli.run("user", "add", "--consolidated", db.url(), "--name", "alice", "--password", "other");
            assertThat(dup.exitCode()).isEqualTo(2);
            assertThat(dup.err()).containsPattern("(?m)^error: USER_EXISTS").contains("alice");
        }
    }

    @Test
    void aServerRefusesAnUnsupportedColumnTypeNamingTableAndColumn() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE gadget (id INTEGER PRIMARY KEY, tags TEXT[])");
            }
            Cli.Result res = Cli.run("server", "--consolidated", db.url(), "--port", "0", "--plain-http");
            assertThat(res.exitCode()).isEqualTo(6);
            assertThat(res.err()).contains("SCHEMA_UNSUPPORTED_TYPE").contains("gadget").contains("tags");
        }
    }

    @Test
    void aForeignKeyCycleIsRefusedAtProvisioning() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE a (id INT PRIMARY KEY, b_id INT)");
                s.execute("CREATE TABLE b (id INT PRIMARY KEY, a_id INT, FOREIGN KEY (a_id) REFERENCES a(id))");
                s.execute("ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b(id)");
            }
            Cli.Result res = Cli.run("server", "--consolidated", db.url(), "--port", "0", "--plain-http");
            assertThat(res.exitCode()).isEqualTo(6);
            assertThat(res.err()).contains("SCHEMA_FK_CYCLE").contains("a -> b -> a");
        }
    }

    @Test
    void anUnsupportedConsolidatedUrlIsAClearConfigError() {
        Cli.Result res = Cli.run("server", "--consolidated", "jdbc:oracle:thin:@x:1521/y", "--port", "0", "--plain-http");
        assertThat(res.exitCode()).isEqualTo(2);
        assertThat(res.err()).containsPattern("(?m)^error: CONFIG_INVALID").contains("jdbc:oracle");
    }
}
