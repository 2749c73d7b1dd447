package dev.ferry.e2e;

import java.util.List;

/** Issue 10 (defect 11) scenarios on H2: generated columns and GENERATED ALWAYS identity. */
class H2GeneratedColumnsIT extends GeneratedColumnScenarios {
    @Override
    String consolidatedKind() {
        return "h2";
    }

    @Override
    List<String> ddl() {
        return List.of(
                "CREATE TABLE ticket (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title VARCHAR(100) NOT NULL)",
                "CREATE TABLE line_item (id BIGINT PRIMARY KEY, price NUMERIC(10,2) NOT NULL, qty INTEGER NOT NULL,"
                        + " total NUMERIC(12,2) GENERATED ALWAYS AS (price * qty) NOT NULL,"
                        + " label VARCHAR(40) GENERATED ALWAYS AS ('item ' || CAST(id AS VARCHAR)),"
                        + " CONSTRAINT qty_positive CHECK (qty > 0))",
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
