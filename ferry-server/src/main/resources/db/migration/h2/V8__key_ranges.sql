-- Keys created offline (issue 13; docs/SCHEMAS.md "Keys created offline"). Every block of keys handed
-- to a remote for one table: the table's own key generator was moved past it before it was recorded,
-- so neither the server nor another remote ever issues a key in it. Kept after the remote used it up,
-- so a block is never handed out twice and the keys of every row can be traced to their remote.
CREATE TABLE ferry_key_range (
    table_name   VARCHAR(255)  NOT NULL,
    range_first  BIGINT        NOT NULL,
    range_last   BIGINT        NOT NULL,
    remote_id    VARCHAR(255)  NOT NULL,
    handed_at    TIMESTAMP  NOT NULL,
    PRIMARY KEY (table_name, range_first)
);
CREATE INDEX ferry_key_range_remote ON ferry_key_range (remote_id, table_name, range_first);

-- Per table, the first key the next block may start at, where moving the generator cannot be done
-- under a lock the generator honours (MariaDB's AUTO_INCREMENT, H2's identity): two servers that moved
-- the counter at once claim their block here, and only one claim of the same start succeeds.
CREATE TABLE ferry_key_claim (
    table_name   VARCHAR(255)  NOT NULL,
    next_first   BIGINT        NOT NULL,
    PRIMARY KEY (table_name)
);
