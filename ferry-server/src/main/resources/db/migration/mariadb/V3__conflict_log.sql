-- Every conflict an upload met and how it was resolved (docs/STATE-TABLES.md, docs/CONFLICTS.md).
-- Written in the upload's own transaction: a rolled-back attempt leaves no entry, a retried one no duplicate.
-- Images are JSON objects of column name to canonical text value (NULL image: the row did not exist).

CREATE TABLE ferry_conflict (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    detected_at     DATETIME(6)   NOT NULL,            -- consolidated clock, UTC
    remote_id       VARCHAR(255)  NOT NULL,
    upload_number   BIGINT        NOT NULL,
    table_name      VARCHAR(255)  NOT NULL,
    pk              TEXT          NOT NULL,            -- JSON array of the key values
    kind            VARCHAR(32)   NOT NULL,            -- insert-exists, update-update, update-deleted, delete-updated
    policy          VARCHAR(255)  NOT NULL,
    outcome         VARCHAR(32)   NOT NULL,            -- server-kept, remote-applied, merged, row-written, deleted, procedure
    old_image       TEXT          NULL,                -- what the remote last had from the server
    remote_image    TEXT          NULL,                -- the remote's new row (NULL: the remote deleted it)
    server_image    TEXT          NULL,                -- the consolidated row when the conflict was found
    resolved_image  TEXT          NULL,                -- the consolidated row after resolution
    detail          TEXT          NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ferry_conflict_table ON ferry_conflict (table_name, detected_at);
CREATE INDEX ferry_conflict_remote ON ferry_conflict (remote_id, detected_at);
