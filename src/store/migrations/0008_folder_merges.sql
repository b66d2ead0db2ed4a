-- Folders merged into others, from the current `_merged_into` values (derived, like the
-- household links; never written directly).
CREATE TABLE folder_merges (
    absorbed BLOB PRIMARY KEY NOT NULL,
    into_folder BLOB NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX folder_merges_by_target ON folder_merges (into_folder);

-- What flags two folders as possibly the same person: folded names with the full birth
-- date; and, for a folder merged into another, the folder it now belongs to.
ALTER TABLE person_index ADD COLUMN identity TEXT;
ALTER TABLE person_index ADD COLUMN merged_into BLOB;
CREATE INDEX person_index_by_identity ON person_index (identity) WHERE identity IS NOT NULL;

-- A folder's history (its change-log entries) without reading the whole log.
CREATE INDEX changes_by_folder ON changes (folder_id);
