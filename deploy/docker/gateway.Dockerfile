# syntax=docker/dockerfile:1.7
# vegart on a JRE 17, non-root: the gateway (default command) and the CPU worker (`worker` with
# VEGART_DEVICE=cpu, as the compose fleet's cpu profile runs it). Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t vegart/vegart-gateway .
ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
# stack's runtime classpath lands in stack/target/lib at package; the module jars go beside it.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl stack -am package -DskipTests \
 && mkdir -p /app/lib \
 && cp stack/target/lib/*.jar stack/target/vegart-stack-*.jar /app/lib/

FROM build AS natives
# Extracts DJL's CPU libtorch (from pytorch-native-cpu on the classpath) and tokenizers once, here.
ENV DJL_CACHE_DIR=/opt/djl OPT_OUT_TRACKING=true
RUN java -cp '/app/lib/*' deploy/docker/PrefetchNatives.java

FROM ${JRE_IMAGE}
RUN groupadd --system --gid 10001 vegart \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin vegart
COPY --from=build /app/lib /app/lib
COPY --from=natives /opt/djl /opt/djl
ENV DJL_CACHE_DIR=/opt/djl \
    DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    VEGART_HTTP_PORT=8080 \
    VEGART_WORKER_HTTP_PORT=9091
WORKDIR /app
# Numeric, so Kubernetes can verify runAsNonRoot.
USER 10001:10001
EXPOSE 8080 9091
# Exec form: the JVM is PID 1 and receives SIGTERM itself (the worker drains on it).
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-Djava.io.tmpdir=/tmp", "-cp", "/app/lib/*", "dev.vegart.stack.Main"]
CMD ["gateway"]
