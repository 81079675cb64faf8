# AttributionExplorer: web app + precompute worker in one image (CPU).
#   docker build -t attribution-explorer .
#   docker run -p 8080:8080 -v ae-data:/app/data attribution-explorer
# The first start runs the demo precompute (a few minutes), later starts reuse the volume. The app binds 0.0.0.0 here
# (appsettings.json binds 127.0.0.1); sign in as "admin" with the password in the volume's demo-admin.txt:
#   docker exec CONTAINER cat data/demo-admin.txt
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/AttributionExplorer.Web -c Release -o /out/web \
 && dotnet publish precompute/AttributionExplorer.Worker -c Release -o /out/worker

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out/web ./web
COPY --from=build /out/worker ./worker
COPY appsettings.json ./appsettings.json
COPY wwwroot ./wwwroot
ENV AE_HOME=/app
EXPOSE 8080
VOLUME /app/data
CMD ["sh", "-c", "dotnet worker/precompute.dll demo && dotnet worker/precompute.dll users demo-admin --file data/demo-admin.txt && (dotnet worker/precompute.dll serve > data/serve.log 2>&1 &) && exec dotnet web/AttributionExplorer.Web.dll --urls http://0.0.0.0:8080"]
