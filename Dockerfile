# Runtime image for compose.yaml. Build the jar first: ./mvnw package -DskipTests
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 quartet
USER quartet
WORKDIR /app
COPY target/quartet.jar quartet.jar
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quartet.jar"]
