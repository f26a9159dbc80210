-- The language a user reads the server in: 'zh-CN' or 'en', whatever their browser asks for;
-- '' (the default) follows the browser's Accept-Language. Changing it bumps the identity
-- stamp (a core_users update), so the next request already speaks the new language.
ALTER TABLE core_users ADD COLUMN language TEXT NOT NULL DEFAULT '' CHECK (language IN ('', 'zh-CN', 'en'));
