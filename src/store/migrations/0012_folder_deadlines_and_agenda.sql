-- What falls due in each folder: the deadline rules' answer for the folder's rows, derived
-- like the search index (rebuilt where entries are applied, never written directly). Days
-- count from 1 January of year 1; a deadline is listed from `shown_from_day` (its window's
-- opening, or 30 days before it is due).
CREATE TABLE folder_deadlines (
    folder_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    row_id BLOB,
    due_day INTEGER NOT NULL,
    from_day INTEGER,
    shown_from_day INTEGER NOT NULL,
    restricted INTEGER NOT NULL CHECK (restricted IN (0, 1))
) STRICT;
CREATE INDEX folder_deadlines_by_folder ON folder_deadlines (folder_id);
CREATE INDEX folder_deadlines_shown ON folder_deadlines (shown_from_day, due_day);

-- Every live appointment of every live, unarchived folder, by when it is (the wall clock in
-- Rome, `yyyy-mm-ddThh:mm:ss`): what Home and the agenda list, derived in the same way.
CREATE TABLE agenda (
    row_id BLOB PRIMARY KEY NOT NULL,
    folder_id BLOB NOT NULL,
    at TEXT NOT NULL,
    restricted INTEGER NOT NULL CHECK (restricted IN (0, 1))
) STRICT, WITHOUT ROWID;
CREATE INDEX agenda_by_time ON agenda (at);
CREATE INDEX agenda_by_folder ON agenda (folder_id);
