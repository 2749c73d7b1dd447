package dev.ferry.e2e;

/** Issue 5 conflict scenarios on PostgreSQL. */
class PostgresConflictsIT extends ConflictScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    String createTable(String name) {
        return "CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, qty INTEGER NOT NULL, updated_at TIMESTAMP(6))";
    }

    @Override
    String createProcedure() {
        return """
                CREATE PROCEDURE add_qty_delta(p_remote VARCHAR, p_table VARCHAR, p_kind VARCHAR, p_pk TEXT, p_old TEXT, p_new TEXT, p_server TEXT)
                LANGUAGE plpgsql AS $$
                BEGIN
                  IF p_kind = 'update-update' THEN
                    UPDATE c_proc SET qty = qty + ((p_new::jsonb->>'qty')::int - (p_old::jsonb->>'qty')::int)
                     WHERE id = (p_pk::jsonb->>'id')::bigint;
                  ELSIF p_kind = 'update-deleted' THEN
                    INSERT INTO c_proc (id, name, qty, updated_at) VALUES ((p_new::jsonb->>'id')::bigint, p_new::jsonb->>'name',
                      (p_new::jsonb->>'qty')::int, (p_new::jsonb->>'updated_at')::timestamp);
                  ELSIF p_kind = 'delete-updated' THEN
                    DELETE FROM c_proc WHERE id = (p_pk::jsonb->>'id')::bigint;
                  ELSE
                    UPDATE c_proc SET qty = qty + (p_new::jsonb->>'qty')::int WHERE id = (p_pk::jsonb->>'id')::bigint;
                  END IF;
                END $$""";
    }
}
