-- Who a remote id belongs to and which database serves as it (issue 10, defects 4 and 5;
-- docs/STATE-TABLES.md, docs/GUARANTEES.md "Remote ids and their owners").
-- ferry_remote.user_name is the owner: the user that registered the id (remote init, or the first sync
-- of an id nobody registered). Rows that exist already keep their user as the owner.

-- The incarnation token of the database now serving as this remote id; NULL: remotes made before
-- incarnations existed (they are recognized by the progress counter alone).
ALTER TABLE ferry_remote ADD COLUMN incarnation VARCHAR(36) NULL;
-- When and by whom another database last became this remote id (remote init --replace, remote reset).
ALTER TABLE ferry_remote ADD COLUMN reinitialized_at TIMESTAMP NULL;
ALTER TABLE ferry_remote ADD COLUMN reinitialized_by VARCHAR(255) NULL;

-- Users other than the owner that may act for a remote id (ferry remote grant / revoke).
CREATE TABLE ferry_remote_grant (
    remote_id   VARCHAR(255)  NOT NULL,
    user_name   VARCHAR(255)  NOT NULL,
    granted_at  TIMESTAMP  NOT NULL,
    PRIMARY KEY (remote_id, user_name),
    FOREIGN KEY (remote_id) REFERENCES ferry_remote (remote_id),
    FOREIGN KEY (user_name) REFERENCES ferry_user (user_name)
);

-- Incarnations that served as a remote id and were replaced: a database presenting one is told when
-- and by whom it was replaced, instead of being taken for a new database or an old backup.
CREATE TABLE ferry_remote_retired (
    remote_id    VARCHAR(255)  NOT NULL,
    incarnation  VARCHAR(36)   NOT NULL,
    retired_at   TIMESTAMP  NOT NULL,
    retired_by   VARCHAR(255)  NOT NULL,
    PRIMARY KEY (remote_id, incarnation)
);
