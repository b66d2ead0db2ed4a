-- The SHA-256 fingerprint of the server's TLS certificate, pinned at enrollment (NULL for a
-- server reached over plain HTTP on loopback).
ALTER TABLE sync_enrollment ADD COLUMN server_certificate TEXT;
