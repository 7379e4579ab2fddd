package quartet.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the JVM that runs Quartet from the extracted jar: the options this
 * JVM was given, the class-data archive options for the running Java version, and the
 * same arguments.
 */
final class ChildCommand {

    /**
     * Options that must stay with the JVM the user started, or that fight the launcher's
     * archive.
     */
    private static final List<String> RUN_HERE_OPTION_PREFIXES = List.of("-agentlib:", "-agentpath:", "-javaagent:",
            "-Xdebug", "-Xrunjdwp", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive",
            "-XX:AOTCache", "-XX:AOTMode", "-Xshare");

    private ChildCommand() {
    }

    /**
     * The option that keeps this JVM in charge (a debugger, an agent, an archive chosen
     * by hand), if any.
     */
    static java.util.Optional<String> optionToRunHere(List<String> jvmOptions) {
        return jvmOptions.stream()
            .filter(option -> RUN_HERE_OPTION_PREFIXES.stream().anyMatch(option::startsWith))
            .findFirst();
    }

    static List<String> build(Path java, int javaFeatureVersion, List<String> jvmOptions, ExtractedJar.Paths jar,
            long launcherPid, boolean demo, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        if (demo) {
            // A demo is judged by its start, not its peak throughput: C1 alone needs
            // about a third less CPU
            // to get there. Before the user's options, so any compiler option given wins.
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(jvmOptions);
        if (javaFeatureVersion >= 19) {
            // The JVM writes the archive at exit when it is missing or from another JDK,
            // and uses it otherwise.
            command.add("-XX:SharedArchiveFile=" + jar.archive());
            command.add("-XX:+AutoCreateSharedArchive");
        }
        else if (jar.archiveExists()) {
            command.add("-XX:SharedArchiveFile=" + jar.archive());
        }
        else {
            // Java 17 writes a dynamic archive only at exit; the launcher publishes it
            // once the JVM is gone.
            command.add("-XX:ArchiveClassesAtExit=" + jar.pendingArchive(launcherPid));
        }
        // The archive skips classes of signed jars (Bouncy Castle) with a warning per
        // class: harmless, not worth a screenful.
        command.add("-Xlog:cds=off");
        command.add("-Xlog:cds+dynamic=off");
        command.add("-D" + LaunchSettings.PARENT_PID + "=" + launcherPid);
        command.add("-jar");
        command.add(jar.applicationJar().toString());
        command.addAll(arguments);
        return command;
    }

}
