package quartet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class ProblemTypesTest {

    @Test
    void everyProblemTypeTheSourcesNameIsDocumented() throws IOException {
        Pattern literal = Pattern.compile("\"/problems/([a-z0-9-]+)\"|\\(HttpStatus\\.[A-Z_]+, \"([a-z0-9-]+)\",");
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher matcher = literal.matcher(Files.readString(file));
                while (matcher.find()) {
                    named.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
                }
            }
        }
        assertThat(named).contains("concurrent-change", "idempotency-key-reused");
        assertThat(named).allSatisfy(code -> assertThat(ProblemTypes.byCode(code)).as(code).isPresent());
    }

    @Test
    void aProblemWithoutAKnownTypeGetsTheKindOfItsStatus() {
        record Case(HttpStatus status, String type, String code) {
        }
        for (Case c : new Case[] { new Case(HttpStatus.NOT_FOUND, null, "not-found"),
                new Case(HttpStatus.CONFLICT, "about:blank", "conflict"),
                new Case(HttpStatus.CONFLICT, "/problems/concurrent-change", "concurrent-change"),
                new Case(HttpStatus.CONFLICT, "/problems/made-up", "conflict"),
                new Case(HttpStatus.I_AM_A_TEAPOT, null, "bad-request"),
                new Case(HttpStatus.BAD_GATEWAY, null, "internal-error"),
                new Case(HttpStatus.TOO_MANY_REQUESTS, null, "rate-limited") }) {
            ProblemDetail problem = ProblemDetail.forStatus(c.status());
            if (c.type() != null) {
                problem.setType(java.net.URI.create(c.type()));
            }
            ProblemTypes.classify(problem);
            assertThat(problem.getProperties()).as(c.toString()).containsEntry("code", c.code());
            assertThat(problem.getType()).as(c.toString()).hasToString("/problems/" + c.code());
        }
    }

    @Test
    void codesAreUniqueAndEachStatusHasAGeneralKind() {
        assertThat(ProblemTypes.all()).extracting(ProblemTypes.Kind::code).doesNotHaveDuplicates();
        for (int status : new int[] { 400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 429, 500, 503 }) {
            assertThat(ProblemTypes.all()).as("status " + status).anyMatch(kind -> kind.status() == status);
        }
    }

}
