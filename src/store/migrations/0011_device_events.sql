-- Acts on the device itself rather than on a folder, kept for good: a re-enrollment (the
-- device joined to a server again, or to another one) with who did it and from where to where.
CREATE TABLE device_events (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    operator_id BLOB NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL
) STRICT;
CREATE TRIGGER device_events_are_append_only_update BEFORE UPDATE ON device_events
BEGIN SELECT RAISE(ABORT, 'device events are append-only'); END;
CREATE TRIGGER device_events_are_append_only_delete BEFORE DELETE ON device_events
BEGIN SELECT RAISE(ABORT, 'device events are append-only'); END;

-- The server-time correction each of this device's entries was stamped with (NULL: the
-- computer's own clock), so entries stamped while the clock was wrong can be corrected
-- before they are sent.
ALTER TABLE changes ADD COLUMN stamp_offset_ms INTEGER;
