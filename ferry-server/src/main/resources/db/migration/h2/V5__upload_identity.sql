-- The id a remote gave its last committed upload. A probe for a lost answer is answered
-- "already applied" only when both the number and this id match (issue 10, defect 7): two copies of
-- one remote both build "upload N", and only the id tells them apart.
ALTER TABLE ferry_remote ADD COLUMN last_upload_id VARCHAR(64) NULL;

-- The highest download position handed to the remote by a sync or a download file made for it. A
-- remote that says it has downloaded past it got that position from a stretch the consolidated
-- database no longer remembers: it went back in time (issue 10, defect 10).
ALTER TABLE ferry_remote ADD COLUMN download_high_water BIGINT DEFAULT 0 NOT NULL;
