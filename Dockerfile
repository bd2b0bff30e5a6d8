# Multi-stage build: compile with the Maven wrapper, run on a JRE.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw --batch-mode --no-transfer-progress -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /opt/switchboard
COPY --from=build /src/app/target/switchboard.jar switchboard.jar
ENV SWITCHBOARD_DATA_DIR=/var/lib/switchboard \
    SWITCHBOARD_PLUGINS_DIR=/opt/switchboard/plugins
RUN mkdir -p /var/lib/switchboard /opt/switchboard/plugins
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/switchboard/switchboard.jar"]
