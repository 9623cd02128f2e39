# Pista in a container: a static binary on a distroless base, run as a
# non-root user, with its SQLite database (or nothing, on PostgreSQL) under
# the /data volume. Build: docker build -t pista .
# Run:   docker run -p 8080:8080 -v pista-data:/data pista
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# modernc.org/sqlite is pure Go: no C toolchain, a fully static binary.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/pista ./cmd/pista \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pista /usr/local/bin/pista
COPY --from=build --chown=nonroot:nonroot /out/data /data
USER nonroot:nonroot
VOLUME /data
WORKDIR /data
ENV PISTA_ADDR=0.0.0.0:8080 \
    PISTA_DB=/data/pista.db
EXPOSE 8080
# The image has no shell or curl: pista itself asks /readyz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/pista", "health", "--url", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/pista"]
CMD ["serve"]
