# Builds the `wsis` binary and a small runtime image. PostgreSQL is reached through libpq; SQLite is bundled.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p wsis && cp target/release/wsis /usr/local/bin/wsis

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/wsis --create-home wsis
COPY --from=build /usr/local/bin/wsis /usr/local/bin/wsis
USER wsis
WORKDIR /var/lib/wsis
ENV WSIS_LISTEN=0.0.0.0:8080 \
    WSIS_DATA_DIR=/var/lib/wsis/data \
    WSIS_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["/usr/local/bin/wsis"]
CMD ["serve"]
