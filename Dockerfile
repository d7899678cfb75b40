# Ledger's server, built from this repository:
#   docker build -t ledger .
#   docker run -e LEDGER_CONNECTION="Host=...;Username=...;Password=...;Database=ledger" -e Ledger__ApiKeys__alice=... -p 8080:8080 ledger
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json nuget.config .editorconfig Directory.Build.props Directory.Packages.props ./
COPY src/Ledger.Domain/Ledger.Domain.csproj src/Ledger.Domain/
COPY src/Ledger/Ledger.csproj src/Ledger/
RUN dotnet restore src/Ledger/Ledger.csproj
COPY src/ src/
RUN dotnet publish src/Ledger/Ledger.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "ledger.dll", "serve"]
