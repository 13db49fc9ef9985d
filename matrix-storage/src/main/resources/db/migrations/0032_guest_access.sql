-- Guest accounts (POST /register?kind=guest): they may use only the endpoints the spec lists for
-- guests and join only rooms whose m.room.guest_access is can_join, until upgraded to full accounts.
ALTER TABLE users ADD COLUMN is_guest BOOLEAN NOT NULL DEFAULT FALSE;
