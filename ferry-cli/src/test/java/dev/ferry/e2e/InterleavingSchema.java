package dev.ferry.e2e;

import java.sql.SQLException;
import java.util.List;

/**
 * The interleaving property's consolidated schema: {@code customer} (balance >= 0) and {@code orders}
 * (qty > 0, a foreign key to customer), so rows are rejected and deletes refused; and {@code write_log},
 * filled by AFTER triggers on both tables with every row written, whoever writes it (not synchronized).
 */
final class InterleavingSchema {
    private InterleavingSchema() {
    }

    static void create(ConsolidatedFixture cons) throws SQLException {
        for (String ddl : ddl(cons.kind())) {
            cons.jdbc(ddl);
        }
    }

    /** Back to the starting rows: customers 1 and 2, order 10 of customer 1 and order 11 of customer 2. */
    static void reset(ConsolidatedFixture cons) throws SQLException {
        cons.jdbc("DELETE FROM orders");
        cons.jdbc("DELETE FROM customer");
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'ann', 5), (2, 'bob', 5)");
        cons.jdbc("INSERT INTO orders (id, customer_id, qty) VALUES (10, 1, 1), (11, 2, 2)");
    }

    private static List<String> ddl(String kind) {
        return switch (kind) {
            case "postgresql" -> List.of(
                    "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, balance INTEGER NOT NULL CHECK (balance >= 0))",
                    "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customer (id), qty INTEGER NOT NULL CHECK (qty > 0))",
                    "CREATE TABLE write_log (seq BIGSERIAL PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL, id BIGINT NOT NULL)",
                    "CREATE FUNCTION log_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                            + " IF TG_OP = 'DELETE' THEN INSERT INTO write_log (tbl, op, id) VALUES (TG_TABLE_NAME, TG_OP, OLD.id);"
                            + " ELSE INSERT INTO write_log (tbl, op, id) VALUES (TG_TABLE_NAME, TG_OP, NEW.id); END IF; RETURN NULL; END $$",
                    "CREATE TRIGGER customer_write_log AFTER INSERT OR UPDATE OR DELETE ON customer FOR EACH ROW EXECUTE FUNCTION log_write()",
                    "CREATE TRIGGER orders_write_log AFTER INSERT OR UPDATE OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION log_write()");
            case "mariadb" -> List.of(
                    "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, balance INT NOT NULL CHECK (balance >= 0)) ENGINE=InnoDB",
                    "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, qty INT NOT NULL CHECK (qty > 0),"
                            + " FOREIGN KEY (customer_id) REFERENCES customer (id)) ENGINE=InnoDB",
                    "CREATE TABLE write_log (seq BIGINT AUTO_INCREMENT PRIMARY KEY, tbl VARCHAR(20) NOT NULL, op VARCHAR(10) NOT NULL, id BIGINT NOT NULL)"
                            + " ENGINE=InnoDB",
                    mariaDbTrigger("customer", "INSERT", "NEW"), mariaDbTrigger("customer", "UPDATE", "NEW"), mariaDbTrigger("customer", "DELETE", "OLD"),
                    mariaDbTrigger("orders", "INSERT", "NEW"), mariaDbTrigger("orders", "UPDATE", "NEW"), mariaDbTrigger("orders", "DELETE", "OLD"));
            default -> throw new IllegalArgumentException("no interleaving schema for " + kind);
        };
    }

    private static String mariaDbTrigger(String table, String op, String row) {
        return "CREATE TRIGGER " + table + "_write_log_" + op.toLowerCase(java.util.Locale.ROOT) + " AFTER " + op + " ON " + table
                + " FOR EACH ROW INSERT INTO write_log (tbl, op, id) VALUES ('" + table + "', '" + op + "', " + row + ".id)";
    }
}
