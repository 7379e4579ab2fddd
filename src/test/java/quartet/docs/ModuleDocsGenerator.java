package quartet.docs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;
import net.sourceforge.plantuml.error.PSystemError;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.CanvasOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions.ElementsWithoutRelationships;
import quartet.QuartetApplication;

/**
 * Builds the module docs that the app serves at /docs, in three steps: the Spring
 * Modulith Documenter writes the C4 component diagram, one diagram and one canvas per
 * module; PlantUML renders every diagram to SVG with its own layout engine (no Graphviz
 * needed); Asciidoctor renders the hand-written pages, which include the canvases, to
 * HTML.
 * <p>
 * Run by the build right after the test classes are compiled (exec-maven-plugin), with
 * three arguments: the folder of hand-written pages, a scratch folder, and the output
 * folder (inside target/classes, so the jar and the tests serve the result). Any PlantUML
 * error, Asciidoctor warning, or module without a page of its own fails the build. When
 * neither the compiled classes nor the pages changed since the last run, it keeps what it
 * wrote then: focused test runs should not pay for the docs again.
 */
public final class ModuleDocsGenerator {

    private ModuleDocsGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("Usage: ModuleDocsGenerator <pages> <scratch> <output>");
        }
        long started = System.nanoTime();
        Path pages = Path.of(args[0]);
        Path scratch = Path.of(args[1]);
        Path generated = scratch.resolve("spring-modulith-docs");
        Path output = Path.of(args[2]);
        Path stamp = scratch.resolve("up-to-date");
        List<Path> inputs = List.of(pages, codeSource(QuartetApplication.class), codeSource(ModuleDocsGenerator.class));
        if (upToDate(stamp, output, inputs)) {
            System.out.printf("Module docs in %s are up to date%n", output);
            return;
        }
        Files.deleteIfExists(stamp);

        ApplicationModules modules = ApplicationModules.of(QuartetApplication.class);
        requireAPagePerModule(modules, pages);
        deleteRecursively(output); // no page or diagram left over from an earlier build
        writeModulithDocs(modules, generated);
        long documented = System.nanoTime();
        renderDiagrams(generated, output.resolve("diagrams"));
        long drawn = System.nanoTime();
        renderPages(pages, generated, output);
        long done = System.nanoTime();
        Files.writeString(stamp, "");

        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
        System.out.printf(
                "Module docs written to %s in %d ms, %d ms of CPU (Documenter %d ms, PlantUML %d ms, Asciidoctor %d ms)%n",
                output, millis(started, done), cpu / 1_000_000, millis(started, documented), millis(documented, drawn),
                millis(drawn, done));
    }

    /**
     * Up to date when the last run finished after every input file was last changed (the
     * output itself aside).
     */
    private static boolean upToDate(Path stamp, Path output, List<Path> inputs) throws IOException {
        if (!Files.exists(stamp) || !Files.exists(output.resolve("index.html"))) {
            return false;
        }
        FileTime finished = Files.getLastModifiedTime(stamp);
        for (Path input : inputs) {
            try (Stream<Path> files = Files.walk(input)) {
                boolean changed = files.filter(file -> !file.startsWith(output))
                    .filter(Files::isRegularFile)
                    .anyMatch(file -> lastModified(file).compareTo(finished) >= 0);
                if (changed) {
                    return false;
                }
            }
        }
        return true;
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private static void requireAPagePerModule(ApplicationModules modules, Path pages) {
        List<String> missing = modules.stream()
            .map(module -> module.getIdentifier().toString())
            .filter(name -> !Files.exists(pages.resolve(name + ".adoc")))
            .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Modules without a page in " + pages + ": " + missing);
        }
    }

    /**
     * The same options as ModularityTests: modules that do not talk to each other still
     * belong on the map.
     */
    private static void writeModulithDocs(ApplicationModules modules, Path folder) {
        var diagrams = DiagramOptions.defaults().withElementsWithoutRelationships(ElementsWithoutRelationships.VISIBLE);
        var options = Documenter.Options.defaults().withOutputFolder(folder.toString());
        new Documenter(modules, options).writeDocumentation(diagrams, CanvasOptions.defaults());
    }

    private static void renderDiagrams(Path sources, Path target) throws IOException {
        Files.createDirectories(target);
        List<Path> diagrams = filesEndingWith(sources, ".puml");
        if (diagrams.isEmpty()) {
            throw new IllegalStateException("The Documenter wrote no diagram to " + sources);
        }
        for (Path diagram : diagrams) {
            String name = diagram.getFileName().toString().replace(".puml", ".svg");
            Files.write(target.resolve(name), toSvg(diagram));
        }
    }

    /**
     * Smetana is PlantUML's Java port of Graphviz's layout: the build must not depend on
     * a dot binary.
     */
    static byte[] toSvg(Path diagram) throws IOException {
        String source = Files.readString(diagram).replaceFirst("@startuml\\R", "@startuml\n!pragma layout smetana\n");
        SourceStringReader reader = new SourceStringReader(source);
        var svg = new ByteArrayOutputStream();
        reader.outputImage(svg, new FileFormatOption(FileFormat.SVG));
        if (reader.getBlocks().isEmpty() || reader.getBlocks().get(0).getDiagram() instanceof PSystemError) {
            throw new IllegalStateException("PlantUML could not render " + diagram);
        }
        return svg.toByteArray();
    }

    private static void renderPages(Path pages, Path generated, Path output) throws IOException {
        Attributes attributes = Attributes.builder()
            .attribute("generated", generated.toAbsolutePath().toString())
            .attribute("linkcss")
            .attribute("stylesheet", "docs.css")
            .attribute("copycss!")
            .attribute("webfonts!")
            .attribute("nofooter")
            .attribute("icons!")
            .build();
        Options options = Options.builder()
            // our own sources at build time; the canvases live outside the pages folder
            .safe(SafeMode.UNSAFE)
            .standalone(true)
            .toDir(output.toFile())
            .mkDirs(true)
            .attributes(attributes)
            .build();
        List<LogRecord> problems = new ArrayList<>();
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            asciidoctor.registerLogHandler(record -> {
                if (record.getSeverity().compareTo(Severity.WARN) >= 0) {
                    problems.add(record);
                }
            });
            for (Path page : filesEndingWith(pages, ".adoc")) {
                // _name.adoc: a part included by pages
                if (!page.getFileName().toString().startsWith("_")) {
                    asciidoctor.convertFile(page.toFile(), options);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Asciidoctor reported: " + problems.stream()
                .map(problem -> problem.getSeverity() + " " + problem.getMessage() + " at " + problem.getCursor())
                .collect(Collectors.joining("; ")));
        }
        Files.copy(pages.resolve("docs.css"), output.resolve("docs.css"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static List<Path> filesEndingWith(Path folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

}
