INSERT INTO ferry_database (id, created_at) VALUES (CAST(gen_random_uuid() AS VARCHAR(36)), CURRENT_TIMESTAMP AT TIME ZONE 'UTC');
