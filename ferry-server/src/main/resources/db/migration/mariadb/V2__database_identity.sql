INSERT INTO ferry_database (id, created_at) VALUES (UUID(), UTC_TIMESTAMP(6));
