-- Test-only: proves a module's migrations land in a schema of its own with its own history.
CREATE TABLE probe (id BIGINT PRIMARY KEY);
