-- What this device knows about its server: its enrollment and signing key, how far it has
-- pulled, what the server has acknowledged, and the entries the server refused.
CREATE TABLE sync_enrollment (
    single INTEGER PRIMARY KEY CHECK (single = 1),
    server_url TEXT NOT NULL,
    device_key BLOB NOT NULL,
    device_name TEXT NOT NULL,
    ambito TEXT NOT NULL,
    office TEXT NOT NULL,
    enrolled_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE sync_progress (
    single INTEGER PRIMARY KEY CHECK (single = 1),
    pulled_cursor INTEGER NOT NULL,
    acknowledged INTEGER NOT NULL
) STRICT;
INSERT INTO sync_progress (single, pulled_cursor, acknowledged) VALUES (1, 0, 0);
CREATE TABLE sync_rejections (
    seq INTEGER PRIMARY KEY,
    code TEXT NOT NULL
) STRICT;
