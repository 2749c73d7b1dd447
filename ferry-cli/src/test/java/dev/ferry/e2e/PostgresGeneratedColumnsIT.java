package dev.ferry.e2e;

import java.util.List;

/** Issue 10 (defect 11) scenarios on PostgreSQL: STORED generated columns and GENERATED ALWAYS identity. */
class PostgresGeneratedColumnsIT extends GeneratedColumnScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    List<String> ddl() {
        return List.of(
                "CREATE TABLE ticket (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title VARCHAR(100) NOT NULL)",
                "CREATE TABLE line_item (id BIGINT PRIMARY KEY, price NUMERIC(10,2) NOT NULL,"
                        + " qty INTEGER NOT NULL CONSTRAINT qty_positive CHECK (qty > 0),"
                        + " total NUMERIC(12,2) NOT NULL GENERATED ALWAYS AS (price * qty) STORED,"
                        + " label VARCHAR(40) GENERATED ALWAYS AS ('item ' || CAST(id AS VARCHAR)) STORED)",
                "CREATE TABLE note (id BIGINT PRIMARY KEY, serial_no BIGINT GENERATED ALWAYS AS IDENTITY, body VARCHAR(100))");
    }

    @Override
    boolean hasIdentityAlways() {
        return true;
    }

    @Override
    String dropQtyCheck() {
        return "ALTER TABLE line_item DROP CONSTRAINT qty_positive";
    }
}
