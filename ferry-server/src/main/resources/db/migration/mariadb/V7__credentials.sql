-- Authentication (issue 11; docs/SECURITY.md "Authentication and credentials", "Login throttling").

-- A disabled user is refused on its next request, with password or credential (ferry user disable).
ALTER TABLE ferry_user ADD COLUMN disabled_at DATETIME(6) NULL;

-- Per-remote credentials: issued at registration (remote init) and by remote passwd, stored as the
-- SHA-256 of the secret only. One credential proves one user acting for one remote id; a revoked one
-- (remote passwd, remote revoke-credential, user passwd) is refused from the next request on.
CREATE TABLE ferry_remote_credential (
    credential_id  VARCHAR(32)   NOT NULL,
    remote_id      VARCHAR(255)  NOT NULL,
    user_name      VARCHAR(255)  NOT NULL,
    secret_hash    VARCHAR(64)   NOT NULL,
    created_at     DATETIME(6)  NOT NULL,
    revoked_at     DATETIME(6)  NULL,
    PRIMARY KEY (credential_id),
    FOREIGN KEY (remote_id) REFERENCES ferry_remote (remote_id),
    FOREIGN KEY (user_name) REFERENCES ferry_user (user_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ferry_remote_credential_remote ON ferry_remote_credential (remote_id);
CREATE INDEX ferry_remote_credential_user ON ferry_remote_credential (user_name);

-- Failed logins per user name and per client address (scope 'user', 'address' or 'remote'), shared by
-- every server on this database. blocks counts the blocks in a row, doubling the next one.
CREATE TABLE ferry_login_failure (
    scope          VARCHAR(16)   NOT NULL,
    subject        VARCHAR(255)  NOT NULL,
    failures       INT           NOT NULL,
    window_start   DATETIME(6)  NOT NULL,
    blocks         INT           NOT NULL,
    blocked_until  DATETIME(6)  NULL,
    PRIMARY KEY (scope, subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
