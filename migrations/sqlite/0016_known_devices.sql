-- Browsers that signed in to an account before. Their wrong passwords are counted apart from
-- everyone else's, so failures from elsewhere never keep an account's usual browser out.
CREATE TABLE known_devices (
    -- SHA-256 of the device cookie's token.
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id);
