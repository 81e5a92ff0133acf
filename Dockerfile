# The `backup` program with the tools a config may use (GNU tar, gzip, bzip2, zstd, gpg, the MariaDB and
# PostgreSQL clients), as a non-root container: examples/kubernetes/ runs it as a CronJob.
#   docker build -t backup .
#   docker run --rm -v /etc/backup:/etc/backup:ro backup run --config /etc/backup/backup.yaml
# Not built on the machine this was written on (no docker there): written from the images' documentation.
#
# Base: .NET 10 publishes no Debian images; its default tags are Ubuntu 24.04 "noble", an apt-based
# Debian derivative with the same package names, pinned here so that a change of default cannot change
# the distro under us. For a Debian base, install these packages on debian:trixie-slim and copy
# /usr/share/dotnet out of this runtime image (with libssl3 and ca-certificates).

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
# The project files first, so that the restore is cached while only code changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Backup.Core/Backup.Core.csproj src/Backup.Core/
COPY src/Backup.Cli/Backup.Cli.csproj src/Backup.Cli/
RUN dotnet restore src/Backup.Cli/Backup.Cli.csproj -r linux-x64
COPY src/ src/
# As the README installs it: compiled ahead of time (ReadyToRun), on the shared runtime.
RUN dotnet publish src/Backup.Cli/Backup.Cli.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /out

FROM mcr.microsoft.com/dotnet/runtime:10.0-noble
# tini as PID 1: it forwards SIGTERM to the program and reaps what a hook leaves behind.
# libdeflate0: faster gzip (optional for the program, used when present).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        tar gzip bzip2 zstd gnupg mariadb-client postgresql-client libdeflate0 tini ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /etc/backup /var/lib/backup \
    && chown "$APP_UID" /var/lib/backup
COPY --from=build /out /opt/backup
# The runtime images' non-root user (`app`, uid 1654, in $APP_UID).
USER $APP_UID
WORKDIR /var/lib/backup
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/backup/backup"]
CMD ["run", "--config", "/etc/backup/backup.yaml"]
