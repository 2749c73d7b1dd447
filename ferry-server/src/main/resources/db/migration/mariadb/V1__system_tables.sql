-- Ferry's consolidated system tables, exactly as docs/STATE-TABLES.md lists them.
-- Times are UTC in DATETIME(6) columns (never TIMESTAMP, which MariaDB shifts by the session time zone).
-- InnoDB for row locks and transactions; utf8mb4_bin so names and ids compare exactly.

CREATE TABLE ferry_database (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,  -- UUID text; the server inserts the one row
    created_at  DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ferry_clock (
    id        INT     NOT NULL PRIMARY KEY CHECK (id = 1),
    position  BIGINT  NOT NULL                         -- last change position handed out
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO ferry_clock (id, position) VALUES (1, 0);

CREATE TABLE ferry_table (
    table_id        INT           NOT NULL PRIMARY KEY,
    table_name      VARCHAR(255)  NOT NULL UNIQUE,
    shadow_name     VARCHAR(255)  NOT NULL,
    provisioned_at  DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ferry_user (
    user_name      VARCHAR(255)  NOT NULL PRIMARY KEY,
    password_hash  VARCHAR(255)  NOT NULL,             -- PBKDF2-HMAC-SHA256, base64
    salt           VARCHAR(255)  NOT NULL,             -- base64
    iterations     INT           NOT NULL,
    created_at     DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ferry_remote (
    remote_id               VARCHAR(255)  NOT NULL PRIMARY KEY,
    user_name               VARCHAR(255)  NOT NULL,
    progress                BIGINT        NOT NULL DEFAULT 0,  -- last upload number committed
    last_upload_at          DATETIME(6)   NULL,
    last_download_position  BIGINT        NOT NULL DEFAULT 0,
    last_download_at        DATETIME(6)   NULL,
    created_at              DATETIME(6)   NOT NULL,
    updated_at              DATETIME(6)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ferry_remote_user ON ferry_remote (user_name);

CREATE TABLE ferry_upload_error (
    remote_id      VARCHAR(255)  NOT NULL,
    upload_number  BIGINT        NOT NULL,
    seq            INT           NOT NULL,
    table_name     VARCHAR(255)  NOT NULL,
    pk             TEXT          NOT NULL,             -- JSON array of the key values
    code           VARCHAR(64)   NOT NULL,
    message        TEXT          NULL,
    PRIMARY KEY (remote_id, upload_number, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ferry_sync_log (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    remote_id        VARCHAR(255)  NULL,               -- NULL when the attempt failed before identifying the remote
    user_name        VARCHAR(255)  NULL,
    started_at       DATETIME(6)   NOT NULL,
    finished_at      DATETIME(6)   NULL,
    mode             VARCHAR(64)   NULL,
    outcome          VARCHAR(64)   NULL,
    upload_number    BIGINT        NULL,
    rows_uploaded    BIGINT        NOT NULL DEFAULT 0,
    rows_rejected    BIGINT        NOT NULL DEFAULT 0,
    rows_downloaded  BIGINT        NOT NULL DEFAULT 0,
    retries          INT           NOT NULL DEFAULT 0,
    error_code       VARCHAR(64)   NULL,
    message          TEXT          NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ferry_sync_log_remote ON ferry_sync_log (remote_id, started_at);
