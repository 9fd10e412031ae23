-- E-mail copies of in-app notices, sent when SMTP is configured. A row per notice and
-- recipient once it has been tried, so a notice reaches each person at most once and a
-- failed delivery is retried a few times.

CREATE TABLE mail_deliveries (
    notification_id INTEGER NOT NULL REFERENCES notifications (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    address TEXT NOT NULL,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);
CREATE INDEX notifications_created ON notifications (created_at);
