-- The id a remote gave its last committed upload. A probe for a lost answer is answered
-- "already applied" only when both the number and this id match (issue 10, defect 7): two copies of
-- one remote both build "upload N", and only the id tells them apart.
ALTER TABLE ferry_remote ADD COLUMN last_upload_id VARCHAR(64) NULL;
