-- A disabled user's API tokens are revoked for good (Accounts::setDisabled does it from now on):
-- revoke those of users disabled before, so enabling them again needs a new token.
UPDATE core_api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM core_users WHERE disabled = 1);
