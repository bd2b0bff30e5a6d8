# Multi-stage build: compile with the Maven wrapper, run on a JRE.
# The dashboard builds with Node 20 + npm (the JDK image's own apt nodejs is too old), taken from the Node image.
FROM node:20-bookworm-slim AS node

FROM eclipse-temurin:17-jdk AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
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
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "-jar", "/opt/switchboard/switchboard.jar"]
