-- The due list reads every deadline already shown: an index that holds all it asks for
-- lets it count and order them without visiting the table row by row.
DROP INDEX folder_deadlines_shown;
CREATE INDEX folder_deadlines_shown
    ON folder_deadlines (shown_from_day, due_day, kind, restricted, folder_id, row_id, from_day);
