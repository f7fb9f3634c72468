# syntax=docker/dockerfile:1.7
# The GPU worker: CUDA 12.8 runtime, JRE 17, DJL's cu128 libtorch fetched here at build time so pods
# start without internet, non-root. The model directory is mounted at VEGART_MODEL_DIR (or synced from
# S3 by the chart's init container). Build from the repository root:
#   docker build -f deploy/docker/worker.Dockerfile -t vegart/vegart-worker .
ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl stack -am package -DskipTests \
 && mkdir -p /app/lib \
 && cp stack/target/lib/*.jar stack/target/vegart-stack-*.jar /app/lib/ \
 # With the CPU natives on the classpath DJL would load them and ignore PYTORCH_FLAVOR.
 && rm /app/lib/pytorch-native-cpu-*.jar

FROM ${JDK_IMAGE} AS jdk
FROM ${JRE_IMAGE} AS jre

# DJL downloads libtorch 2.7.1 cu128 and its JNI glue once, into DJL_CACHE_DIR, on the CUDA base so
# loading them here proves the runtime libraries they need are present.
FROM ${CUDA_IMAGE} AS libtorch
COPY --from=jdk /opt/java/openjdk /opt/java/openjdk
COPY --from=build /app/lib /app/lib
COPY deploy/docker/PrefetchNatives.java /tmp/PrefetchNatives.java
ENV PATH=/opt/java/openjdk/bin:${PATH} \
    DJL_CACHE_DIR=/opt/djl \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    OPT_OUT_TRACKING=true
RUN java -cp '/app/lib/*' /tmp/PrefetchNatives.java

FROM ${CUDA_IMAGE}
RUN groupadd --system --gid 10001 vegart \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin vegart
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
COPY --from=build /app/lib /app/lib
COPY --from=libtorch /opt/djl /opt/djl
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:${PATH} \
    DJL_CACHE_DIR=/opt/djl \
    DJL_OFFLINE=true \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    OPT_OUT_TRACKING=true \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    VEGART_DEVICE=cuda \
    VEGART_MODEL_DIR=/models/vega-rt \
    VEGART_WORKER_HTTP_PORT=9091
WORKDIR /app
USER 10001:10001
EXPOSE 9091
# Exec form: the JVM is PID 1, so SIGTERM reaches the worker, which stops fetching, finishes and
# commits the batch in hand within VEGART_SHUTDOWN_GRACE, and exits 0.
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-Djava.io.tmpdir=/tmp", "-cp", "/app/lib/*", "dev.vegart.stack.Main"]
CMD ["worker"]
