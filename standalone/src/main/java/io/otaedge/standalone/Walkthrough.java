package io.otaedge.standalone;

/** The text the standalone prints at start: where everything is, and a copy-paste tour. */
final class Walkthrough {

    private Walkthrough() {
    }

    static String text(Standalone s) {
        String admin = "http://127.0.0.1:" + s.adminPort();
        String device = "http://127.0.0.1:" + s.devicePort();
        String edge = "http://" + s.edgePublicAddress();
        String edgeAdmin = "http://127.0.0.1:" + s.edgeAdminPort();
        String redis = s.redisIsEmbedded()
                ? s.redisUri() + " (embedded, data in " + s.dataDir().resolve("redis") + ")"
                : s.redisUri() + " (external)";
        return """

                OTA Edge standalone is running.
                  edge (downloads)    %3$s/ota/download/<token>
                  control (devices)   %2$s/ota/south/check
                  OneNET devices      %3$s (one host for all: the edge forwards their API calls to control)
                  admin API           %1$s/admin/v1
                  control metrics     %1$s/metrics  (and /health/live, /health/ready; no key needed)
                  edge metrics        %7$s/metrics  (and /health/live, /health/ready)
                  admin key           %4$s
                  redis               %5$s
                  data directory      %6$s

                Try it (bash, from the source tree after ./mvnw -B package; Ctrl-C stops the standalone):

                  otactl() { java -jar cli/target/otactl.jar "$@"; }; DEVICE='%2$s'
                  otactl profile add standalone --url %1$s --key-file %6$s/admin.key --use
                  otactl products create demo --name Demo
                  head -c 3000000 /dev/urandom > fw.bin
                  FW=$(otactl firmware upload -p demo --version 1.2.0 fw.bin -q)
                  TASK=$(otactl tasks create -p demo --firmware "$FW" -q)
                  DEVAUTH=$(otactl onenet authorization -p demo -q)
                  curl -s -H "Authorization: $DEVAUTH" -H 'Content-Type: application/json' \\
                       -d '{"dev_id":6523,"manuf":"China Mobile","model":"M5310","type":1,"version":"1.0","cdn":false}' \\
                       $DEVICE/ota/south/check | tee check.json; echo
                  TOKEN=$(sed -E 's/.*"token":"([^"]+)".*/\\1/' check.json)
                  curl -s -o got.bin %3$s/ota/download/$TOKEN && md5sum fw.bin got.bin
                  curl -s -D - -o /dev/null -H 'Range: bytes=0-1023' %3$s/ota/download/$TOKEN
                  curl -s -H "Authorization: $DEVAUTH" -H 'Content-Type: application/json' -d '{"f_version":"1.2.0"}' \\
                       "$DEVICE/ota/device/version?dev_id=6523"; echo
                  otactl tasks watch "$TASK"
                  curl -s %7$s/metrics | grep -E '^ota_edge_(requests|bytes_sent)_total' | grep -v ' 0.0$'
                  curl -s %1$s/metrics | grep -E '^ota_control_(checks|tokens_issued)_total' | grep -v ' 0.0$'
                """.formatted(admin, device, edge, s.adminKey(), redis, s.dataDir(), edgeAdmin);
    }

    static String usage() {
        return """
                java -jar ota-standalone.jar

                Starts Redis (embedded unless OTA_REDIS_URI is set), the control service and the edge.
                Needs no configuration; every setting is an environment variable (see README.md):
                  OTA_DATA_DIR      data directory (default ./data): Redis AOF, firmware blobs, admin key
                  OTA_REDIS_URI     use this Redis instead of the embedded one (redis://host:port/db)
                  OTA_EDGE_PORT     download edge port (default 8080)
                  OTA_CONTROL_PORT  device-facing control port (default 8081)
                  OTA_ADMIN_PORT    admin API port, also control /metrics and health (default 8082)
                  OTA_EDGE_ADMIN_PORT  edge /metrics and health port (default 8083)
                  OTA_ADMIN_KEY     admin bearer key (default: generated once, kept in <data>/admin.key)
                  OTA_TOKEN_TTL     download token lifetime, ISO-8601 (default P2D)
                """;
    }
}
