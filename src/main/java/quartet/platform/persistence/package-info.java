/**
 * The modules' database schemas: one PostgreSQL schema per module, migrated by Flyway
 * with its own history, after the platform's tables.
 */
@NullMarked
package quartet.platform.persistence;

import org.jspecify.annotations.NullMarked;
