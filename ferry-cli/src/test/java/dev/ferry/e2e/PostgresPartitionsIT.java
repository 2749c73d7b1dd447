package dev.ferry.e2e;

import java.util.List;

/** Issue 11 partition scenarios on PostgreSQL. */
class PostgresPartitionsIT extends PartitionScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    List<String> schema() {
        return List.of(
                "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, region_id INTEGER NOT NULL)",
                "CREATE INDEX customer_region ON customer (region_id)",
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, total INTEGER NOT NULL)",
                "CREATE INDEX orders_customer ON orders (customer_id)",
                "CREATE TABLE product (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)",
                "CREATE TABLE project_member (project_id BIGINT NOT NULL, user_name VARCHAR(100) NOT NULL, PRIMARY KEY (project_id, user_name))",
                "CREATE TABLE task (id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL, title VARCHAR(100) NOT NULL)",
                "CREATE TABLE note (id BIGINT PRIMARY KEY, region_id INTEGER NOT NULL, body VARCHAR(100), secret VARCHAR(100) NOT NULL DEFAULT 'hidden')");
    }
}
