package quartet.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.VerificationOptions;
import org.springframework.modulith.core.Violations;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.CanvasOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions.ElementsWithoutRelationships;
import quartet.QuartetApplication;

/**
 * The module structure: exactly four modules, no access to another module's internals, no
 * cycles between modules, and the generated module docs. The planted violations live in
 * test sources, which the product's module model never imports.
 */
class ModularityTests {

    private static final ApplicationModules MODULES = ApplicationModules.of(QuartetApplication.class);

    // Each module is its own root package, so Modulith cannot see cycles between them:
    // ArchUnit does.
    private static final ArchRule NO_CYCLES_BETWEEN_MODULES = slices()
        .matching("(payments|webhooks|shortener|ratelimit|network)..")
        .namingSlices("$1")
        .should()
        .beFreeOfCycles()
        .allowEmptyShould(true);

    private static final VerificationOptions RULES = VerificationOptions.defaults()
        .andAdditionalVerifications(NO_CYCLES_BETWEEN_MODULES);

    @Test
    void findsExactlyTheFourTopLevelModulesAndTheSharedNetworkModule() {
        assertThat(MODULES.stream().map(module -> module.getIdentifier().toString()))
            .containsExactlyInAnyOrder("payments", "webhooks", "shortener", "ratelimit", "network");
    }

    @Test
    void keepsEveryModuleWithinItsAllowedDependencies() {
        MODULES.detectViolations(RULES).throwIfPresent();
    }

    @Test
    void refusesAModuleReachingIntoAnotherModulesInternals() {
        Violations violations = withPlantedViolations().detectViolations(RULES);

        assertThat(violations.getMessages()).anySatisfy(
                message -> assertThat(message).contains("PlantedInternalAccess").contains("PlantedPaymentsInternal"));
    }

    @Test
    void refusesACycleBetweenModules() {
        Violations violations = withPlantedViolations().detectViolations(RULES);

        assertThat(violations.getMessages()).anySatisfy(message -> assertThat(message).containsIgnoringCase("cycle")
            .contains("shortener")
            .contains("ratelimit"));
    }

    @Test
    void writesTheComponentDiagramAndOneDiagramAndCanvasPerModule() throws Exception {
        // Modules that do not talk to each other yet still belong on the map.
        var diagrams = DiagramOptions.defaults().withElementsWithoutRelationships(ElementsWithoutRelationships.VISIBLE);
        new Documenter(MODULES).writeDocumentation(diagrams, CanvasOptions.defaults());

        Path docs = Path.of("target", "spring-modulith-docs");
        assertThat(docs.resolve("components.puml")).exists();
        for (ApplicationModule module : MODULES) {
            String name = module.getIdentifier().toString();
            assertThat(docs.resolve("module-" + name + ".puml")).exists();
            assertThat(docs.resolve("module-" + name + ".adoc")).exists();
        }
        assertThat(Files.readString(docs.resolve("components.puml"))).contains("Payments (FlowPay)",
                "Webhooks (DispatchGo)", "URL Shortener", "Rate limiter (HoldUp)", "Network addresses (shared)");
    }

    /** The same modules, this time imported together with the planted test classes. */
    private static ApplicationModules withPlantedViolations() {
        ImportOption everything = location -> true;
        ApplicationModules planted = ApplicationModules.of(QuartetApplication.class, everything);
        assertThat(planted.getModuleByName("webhooks").orElseThrow().contains(webhooksPlantedType()))
            .as("the planted classes must be part of this model")
            .isTrue();
        return planted;
    }

    private static Class<?> webhooksPlantedType() {
        try {
            return Class.forName("webhooks.PlantedInternalAccess");
        }
        catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

}
