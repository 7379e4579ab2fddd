/**
 * The fast start behind a plain {@code java -jar quartet.jar}: the first run extracts the
 * jar into a cache and records a class-data (AppCDS) archive, later runs start a JVM on
 * the extracted jar with that archive. Bootstrap code, outside the four modules.
 */
@NullMarked
package quartet.launcher;

import org.jspecify.annotations.NullMarked;
