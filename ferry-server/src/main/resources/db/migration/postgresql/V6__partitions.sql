-- Partitions (issue 11, docs/PARTITIONS.md). Parameters bound into publication filters on the
-- server side: per user (the remote's owner) and per remote (overrides the user's). Never sent by
-- the remote itself.
CREATE TABLE ferry_user_param (
    user_name    VARCHAR(255)  NOT NULL,
    param_name   VARCHAR(64)   NOT NULL,
    param_value  VARCHAR(1000) NOT NULL,
    PRIMARY KEY (user_name, param_name)
);

CREATE TABLE ferry_remote_param (
    remote_id    VARCHAR(255)  NOT NULL,
    param_name   VARCHAR(64)   NOT NULL,
    param_value  VARCHAR(1000) NOT NULL,
    PRIMARY KEY (remote_id, param_name)
);

-- The change position of the last parameter change (a fresh position from ferry_clock): a remote
-- whose last download is older re-evaluates its filters in full.
CREATE TABLE ferry_param_change (
    owner_kind  CHAR(1)       NOT NULL,  -- 'U' user, 'R' remote
    owner_name  VARCHAR(255)  NOT NULL,
    position    BIGINT        NOT NULL,
    PRIMARY KEY (owner_kind, owner_name)
);

-- The publications a remote subscribed to at registration (none = every publication).
CREATE TABLE ferry_remote_subscription (
    remote_id    VARCHAR(255)  NOT NULL,
    publication  VARCHAR(255)  NOT NULL,
    PRIMARY KEY (remote_id, publication)
);
