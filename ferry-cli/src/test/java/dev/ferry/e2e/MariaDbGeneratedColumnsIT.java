package dev.ferry.e2e;

import java.util.List;

/**
 * Issue 10 (defect 11) scenarios on MariaDB: a PERSISTENT and a VIRTUAL generated column. MariaDB has
 * no GENERATED ALWAYS identity; {@code ticket.id} is AUTO_INCREMENT, which takes the remote's keys as they are.
 */
class MariaDbGeneratedColumnsIT extends GeneratedColumnScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    List<String> ddl() {
        return List.of(
                "CREATE TABLE ticket (id BIGINT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(100) NOT NULL) ENGINE=InnoDB",
                "CREATE TABLE line_item (id BIGINT PRIMARY KEY, price DECIMAL(10,2) NOT NULL, qty INT NOT NULL,"
                        + " total DECIMAL(12,2) AS (price * qty) PERSISTENT, label VARCHAR(40) AS (CONCAT('item ', id)) VIRTUAL,"
                        + " CONSTRAINT qty_positive CHECK (qty > 0)) ENGINE=InnoDB");
    }

    @Override
    boolean hasIdentityAlways() {
        return false;
    }

    @Override
    String dropQtyCheck() {
        return "ALTER TABLE line_item DROP CONSTRAINT qty_positive";
    }
}
