package shortener;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The shortener's strict layers: handlers (web) use services, services use repositories,
 * and never the other way round or past a layer. The domain and the module's API are
 * shared by all.
 */
class ShortenerLayersTests {

    // A handler that reaches a repository skips the rules the service applies (cache
    // eviction,
    // events); a repository that reaches up makes storage depend on use cases.
    static final ArchRule STRICT_LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Handlers")
        .definedBy("shortener.web..")
        .layer("Services")
        .definedBy("shortener.service..")
        .layer("Repositories")
        .definedBy("shortener.repository..")
        .whereLayer("Handlers")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Services")
        .mayOnlyBeAccessedByLayers("Handlers")
        .whereLayer("Repositories")
        .mayOnlyBeAccessedByLayers("Services");

    @Test
    void keepsHandlersServicesAndRepositoriesInStrictLayers() {
        JavaClasses production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("shortener");

        STRICT_LAYERS.check(production);
    }

    @Test
    void failsForAHandlerThatTouchesARepository() {
        JavaClasses withPlanted = new ClassFileImporter().importPackages("shortener");

        assertThat(STRICT_LAYERS.evaluate(withPlanted).getFailureReport().getDetails())
            .anySatisfy(violation -> assertThat(violation).contains("PlantedRepositoryAccess").contains("Links"));
    }

}
