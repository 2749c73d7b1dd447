package dev.ferry.e2e;

/** Issue 5 conflict scenarios on MariaDB. */
class MariaDbConflictsIT extends ConflictScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    String createTable(String name) {
        return "CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, qty INT NOT NULL, updated_at DATETIME(6)) ENGINE=InnoDB";
    }

    @Override
    String createProcedure() {
        return """
                CREATE PROCEDURE add_qty_delta(p_remote VARCHAR(255), p_table VARCHAR(255), p_kind VARCHAR(32), p_pk TEXT, p_old TEXT,
                                               p_new TEXT, p_server TEXT)
                BEGIN
                  IF p_kind = 'update-update' THEN
                    UPDATE c_proc SET qty = qty + (CAST(JSON_VALUE(p_new, '$.qty') AS SIGNED) - CAST(JSON_VALUE(p_old, '$.qty') AS SIGNED))
                     WHERE id = CAST(JSON_VALUE(p_pk, '$.id') AS SIGNED);
                  ELSEIF p_kind = 'update-deleted' THEN
                    INSERT INTO c_proc (id, name, qty, updated_at) VALUES (CAST(JSON_VALUE(p_new, '$.id') AS SIGNED), JSON_VALUE(p_new, '$.name'),
                      CAST(JSON_VALUE(p_new, '$.qty') AS SIGNED), REPLACE(JSON_VALUE(p_new, '$.updated_at'), 'T', ' '));
                  ELSEIF p_kind = 'delete-updated' THEN
                    DELETE FROM c_proc WHERE id = CAST(JSON_VALUE(p_pk, '$.id') AS SIGNED);
                  ELSE
                    UPDATE c_proc SET qty = qty + CAST(JSON_VALUE(p_new, '$.qty') AS SIGNED) WHERE id = CAST(JSON_VALUE(p_pk, '$.id') AS SIGNED);
                  END IF;
                END""";
    }
}
