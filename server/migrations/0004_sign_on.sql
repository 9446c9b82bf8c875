-- Operators who sign in through the identity provider (OpenID Connect): where an operator comes
-- from, the provider's subject (`sub`) that identifies them, and the name the provider gives.
-- A local operator has no subject; one who signs on has no usable password.
ALTER TABLE operators ADD COLUMN source TEXT NOT NULL DEFAULT 'local'
    CHECK (source IN ('local', 'oidc'));
ALTER TABLE operators ADD COLUMN subject TEXT;
ALTER TABLE operators ADD COLUMN display_name TEXT;
CREATE UNIQUE INDEX operators_by_subject ON operators (subject) WHERE subject IS NOT NULL;

-- Audit lines of operators who signed on carry the provider's subject and display name.
ALTER TABLE audit ADD COLUMN subject TEXT;
ALTER TABLE audit ADD COLUMN display_name TEXT;
