# syntax=docker/dockerfile:1
#
# docker build --build-arg VERSION=$(git describe --tags --always) -t alojamientos .

# The Go version matches go.mod (`go 1.27`) and the GOTOOLCHAIN=go1.27.3 the
# Makefile and .ci/run export (1.26.x has known net/http vulnerabilities).
# cmd/alojamientos/compose_test.go fails when they drift apart.
FROM golang:1.27.3-bookworm AS build
ENV GOTOOLCHAIN=local CGO_ENABLED=0
WORKDIR /src

COPY go.mod go.sum ./
RUN go mod download

# Generated code (*_templ.go, sqlc output) is committed, so nothing is
# generated here; static/, views/ and db/migrations are embedded.
COPY . .
ARG VERSION=dev
# Stays are dated in each property's timezone, so the zone database must be in
# the binary whatever the image has: main.go imports time/tzdata, and the
# timetzdata tag keeps that true should the import ever go.
RUN go build -trimpath -tags timetzdata \
      -ldflags "-s -w -X alojamientos/internal/platform.Version=${VERSION}" \
      -o /out/alojamientos ./cmd/alojamientos \
 && mkdir -p /out/data

# distroless/static: CA certificates (Mercado Pago, Meta), /etc/passwd with the
# nonroot user (65532), no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/alojamientos /alojamientos
# Owned by nonroot so a fresh named volume mounted here is writable (uploads).
COPY --from=build --chown=65532:65532 /out/data /data
USER nonroot:nonroot
ENV ADDR=:8080 DATA_DIR=/data
EXPOSE 8080
VOLUME /data
ENTRYPOINT ["/alojamientos"]
CMD ["serve"]
