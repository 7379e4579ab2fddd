# Runtime image for compose.yaml. Build the jar first: ./mvnw package -DskipTests
# The jar is extracted at image build (Spring Boot's tools jar mode): plain library jars load faster
# than nested ones, and an extracted jar starts in the one JVM, without the launcher's cache.
FROM eclipse-temurin:17-jre AS extract
WORKDIR /build
COPY target/quartet.jar quartet.jar
RUN java -Djarmode=tools -jar quartet.jar extract --destination app

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 quartet
USER quartet
WORKDIR /app
COPY --from=extract /build/app/ /app/
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quartet.jar"]
