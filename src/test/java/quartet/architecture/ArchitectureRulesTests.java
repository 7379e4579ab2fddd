package quartet.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/** Rules that Modulith's verify() does not cover, each with its intent. */
@AnalyzeClasses(packages = { "quartet", "payments", "webhooks", "shortener", "ratelimit", "network" },
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureRulesTests {

    // Dependencies are visible in constructors; a field-injected bean hides them and
    // cannot be final.
    @ArchTest
    static final ArchRule noFieldInjection = noFields().should().beAnnotatedWith(Autowired.class);

    // The token bucket is ours and framework-free (JSpecify nullness aside), so it can be
    // reasoned about and benchmarked alone.
    @ArchTest
    static final ArchRule limiterCoreIsPlainJava = classes().that()
        .resideInAPackage("ratelimit.core..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("ratelimit.core..", "java..", "org.jspecify.annotations..");

    // One address classifier for every module that calls out: plain Java, so it can be
    // trusted (and tested) alone.
    @ArchTest
    static final ArchRule addressClassifierIsPlainJava = classes().that()
        .resideInAPackage("network..")
        .and()
        // only its module declaration names Spring Modulith
        .doNotHaveSimpleName("package-info")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("network..", "java..", "org.jspecify.annotations..");

    // Apache HttpClient 5 is here for webhook delivery only, behind a resolver that
    // checks every
    // address against the SSRF guard. Anything else that calls out picks its client
    // deliberately.
    @ArchTest
    static final ArchRule httpClient5OnlyDeliversWebhooks = noClasses().that()
        .resideOutsideOfPackage("webhooks.delivery..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.hc..");

    // With HttpClient 5 on the class path, the no-argument RestClient and RestTemplate
    // would
    // silently pick it, unguarded: build them with a request factory chosen on purpose.
    @ArchTest
    static final ArchRule noDefaultHttpClients = noClasses().should()
        .callMethod(RestClient.class, "create")
        .orShould()
        .callConstructor(RestTemplate.class);

    // The gRPC contract's generated classes stay inside FlowPay, in the one package
    // protoc writes
    // (java_package of src/main/proto): no hand-written message and no stub elsewhere.
    @ArchTest
    static final ArchRule generatedGrpcClassesStayInPayments = classes().that()
        .areAssignableTo(com.google.protobuf.MessageOrBuilder.class)
        .or()
        .areAssignableTo(com.google.protobuf.ProtocolMessageEnum.class)
        .or()
        .haveSimpleNameEndingWith("Grpc")
        .should()
        .resideInAPackage("payments.grpc.v1");

    // Wire types end at the adapter: the gRPC services and their message mappings
    // translate, and
    // the domain, the HTTP API and the rest of Quartet never see a generated class.
    @ArchTest
    static final ArchRule onlyTheGrpcAdapterUsesTheContract = noClasses().that()
        .resideOutsideOfPackages("payments.grpc..")
        // the services and mappings with their nested classes (a stream's state, say)
        .and()
        .haveNameNotMatching(".*(GrpcService|Messages)(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("payments.grpc.v1");

}
