-- STP and ENI progressive numbers this device may issue: blocks reserved for it by the
-- Ambito's server, used from the lowest number up. A used number is gone from here in the
-- same transaction that writes the code into the person's folder.
CREATE TABLE health_code_blocks (
    kind TEXT NOT NULL CHECK (kind IN ('stp', 'eni')),
    region TEXT NOT NULL,
    asl TEXT NOT NULL,
    next INTEGER NOT NULL,
    last INTEGER NOT NULL CHECK (last >= next),
    PRIMARY KEY (kind, region, asl, next)
) STRICT, WITHOUT ROWID;
