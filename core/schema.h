#pragma once

namespace facet {

class Database;

namespace schema {

/** Version of the file's schema, 0 for an empty database; throws if the file is not a project. */
int readVersion(Database& db);
/** Creates the current schema in an empty database, in one transaction. */
void create(Database& db);
/** Migrates from an older version to the current one, each step in its own transaction. */
void migrate(Database& db, int fromVersion);

} // namespace schema
} // namespace facet
