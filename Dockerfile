# The service's image, built from the sources: `docker build -t onlinedukan .` or
# `docker compose up --build`. The host needs Docker only: no JDK, no Maven.

# --- build: the Maven wrapper on a JDK ------------------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
# The wrapper and the POM alone first: the dependency layer below is rebuilt only when they change,
# not on every change to the code.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN sh ./mvnw -B -ntp dependency:go-offline
COPY db/ db/
COPY src/main/ src/main/
# No tests here (`./mvnw verify` runs them, on embedded servers, before an image is worth building),
# so none are compiled either. Without .git (see .dockerignore) /actuator/info has no commit.
RUN sh ./mvnw -B -ntp package -Dmaven.test.skip=true \
    && java -Djarmode=tools -jar target/onlinedukan.jar extract --layers --destination /layers

# --- run: a JRE, a user of its own, Spring Boot's layers, a JDK 25 AOT cache ----------------------
FROM eclipse-temurin:25-jre
# The base is Ubuntu: useradd is there. A home directory, for the embedded servers' data when the
# image runs without a database (dukan.embedded.data-dir, ~/.onlinedukan).
RUN groupadd --system dukan && useradd --system --gid dukan --create-home --home-dir /home/dukan dukan
RUN install -d -o dukan -g dukan /app
WORKDIR /app
# Least to most often changed: a code change rebuilds only the last, small layer.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER dukan
# The AOT cache (JEP 483/514/515): the classes a start loads and links, and the JIT's method profiles,
# recorded by a training run of this very JVM on the embedded default (in a throwaway directory, Telegram
# in dry run): the service starts, its warm-up sends it rolled-back orders until the JIT settles (at most
# 60 s, dukan.orders.warm-up), and once it reports ready it is stopped gracefully, which writes the cache.
# A container then starts with those classes and profiles. It fits only this layout and this JDK; a JVM
# that cannot use it says so and starts without it. bench/aot-cache.sh makes one for a host, trained at 8 clients.
RUN bash -c 'java -XX:AOTCacheOutput=/app/onlinedukan.aot -Ddukan.embedded.data-dir=/tmp/aot-training \
          -Dserver.port=18080 -Ddukan.ops.password=aot-training-only -jar onlinedukan.jar > /tmp/aot-training.log 2>&1 & \
        service=$!; \
        for _ in $(seq 300); do \
          kill -0 $service 2>/dev/null || break; \
          (exec 3<>/dev/tcp/127.0.0.1/18080 && printf "GET /actuator/health/readiness HTTP/1.0\r\n\r\n" >&3 \
            && head -n 1 <&3 | grep -q " 200 ") 2>/dev/null && break; \
          sleep 1; \
        done; \
        kill -TERM $service 2>/dev/null; wait $service' \
    ; rm -rf /tmp/aot-training /tmp/aot-training.log; test -f /app/onlinedukan.aot || echo "no AOT cache: the image starts without one"
EXPOSE 8080
# Liveness: the process answers and is not broken (readiness, which needs PostgreSQL, is what
# docker-compose.yml waits for). No curl or wget is promised by the base image; bash and its
# /dev/tcp are (Ubuntu). SERVER_PORT, when set, moves the port.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT:-8080} && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# 75% of the container's memory limit for the heap (the JVM's default is 25%), all of it from the start:
# a heap G1 may shrink settles near the live set, and then G1 marks it again and again (README, "In
# production"). JAVA_TOOL_OPTIONS adds more.
ENTRYPOINT ["java", "-XX:InitialRAMPercentage=75", "-XX:MaxRAMPercentage=75", "-XX:AOTCache=/app/onlinedukan.aot", \
            "-jar", "onlinedukan.jar"]
