package dev.ferry.e2e;

import java.util.List;

/** Issue 11 partition scenarios on MariaDB (text keys in a binary, no-pad collation, as Ferry requires). */
class MariaDbPartitionsIT extends PartitionScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    List<String> schema() {
        return List.of(
                "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, region_id INT NOT NULL, INDEX (region_id)) ENGINE=InnoDB",
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, total INT NOT NULL, INDEX (customer_id)) ENGINE=InnoDB",
                "CREATE TABLE product (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL) ENGINE=InnoDB",
                "CREATE TABLE project_member (project_id BIGINT NOT NULL, user_name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,"
                        + " PRIMARY KEY (project_id, user_name)) ENGINE=InnoDB",
                "CREATE TABLE task (id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL, title VARCHAR(100) NOT NULL) ENGINE=InnoDB",
                "CREATE TABLE note (id BIGINT PRIMARY KEY, region_id INTEGER NOT NULL, body VARCHAR(100), secret VARCHAR(100) NOT NULL DEFAULT 'hidden') ENGINE=InnoDB");
    }
}
