-- The device this database lives on, and the operators who may unlock it.
CREATE TABLE device (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    office TEXT NOT NULL,
    created_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE operators (
    id BLOB PRIMARY KEY NOT NULL,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'coordinator', 'operator', 'mediator', 'health_liaison', 'statistics_reader')),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_ms INTEGER NOT NULL
) STRICT;
