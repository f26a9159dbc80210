-- A membership status other than normal (停止党籍, 恢复党籍 ...) is recorded with its reason.
ALTER TABLE party_members ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
