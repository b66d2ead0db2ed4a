-- Every open practice (not accepted, refused or closed) of every live, unarchived folder:
-- the lists of open practices by operator in charge, by service and by deadline, derived
-- where entries are applied like the agenda.
CREATE TABLE open_practices (
    row_id BLOB PRIMARY KEY NOT NULL,
    folder_id BLOB NOT NULL,
    template TEXT NOT NULL,
    category TEXT NOT NULL,
    in_charge BLOB,
    deadline_day INTEGER,
    opened_day INTEGER NOT NULL,
    restricted INTEGER NOT NULL CHECK (restricted IN (0, 1))
) STRICT, WITHOUT ROWID;
CREATE INDEX open_practices_by_deadline ON open_practices (deadline_day, opened_day);
CREATE INDEX open_practices_by_folder ON open_practices (folder_id);

-- Who receives the person: the agenda lists "my appointments" from it.
ALTER TABLE agenda ADD COLUMN operator BLOB;
