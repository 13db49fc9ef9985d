-- Users who deactivated their account with erase: true (POST /account/deactivate). Their events
-- are then served redacted to every user who was not joined when they were sent, as Synapse does.
CREATE TABLE erased_users (
    user_id VARCHAR NOT NULL PRIMARY KEY
);
