# Built by scripts/build-auth-image and scripts/build-control-image (scripts/lib/service-image.sh) from a
# self-contained publish: no base image, no registry. @BINARY@ is the service's apphost.
FROM scratch
COPY rootfs/ /
COPY app/ /app/
# The only writable places: /data (the named volumes mount over it) and /tmp (a tmpfs in compose).
COPY --chown=10001:10001 writable/ /
ENV DOTNET_hostBuilder__reloadConfigOnChange=false \
    DOTNET_gcServer=0 \
    DOTNET_EnableDiagnostics=0 \
    ASPNETCORE_ENVIRONMENT=Production
# The content root: appsettings.json is read from here.
WORKDIR /app
USER 10001:10001
ENTRYPOINT ["@BINARY@"]
