package io.otaedge.control.dialect.onenet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.catalog.Names;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.task.UpgradeType;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * OneNET's version report: {@code POST /ota/device/version?dev_id=} with {@code {"f_version","s_version"}}
 * (module firmware and application) stores them and lets a reported target version complete its
 * task (a progress report); {@code GET} answers {@code data{f_version,s_version}} ("" for one never reported).
 */
public final class OneNetVersionCalls {

    /** The GET's data block. */
    record Versions(@JsonProperty("f_version") String fVersion, @JsonProperty("s_version") String sVersion) {
    }

    private final OneNetAuthenticator authenticator;
    private final DeviceProgressService progress;
    private final DeviceRepository devices;
    private final DialectMeters meters;

    OneNetVersionCalls(OneNetAuthenticator authenticator, DeviceProgressService progress, DeviceRepository devices,
                       DialectMeters meters) {
        this.meters = meters;
        this.authenticator = authenticator;
        this.progress = progress;
        this.devices = devices;
    }

    public Publisher<Void> report(HttpServerRequest request, HttpServerResponse response) {
        String devId = OneNetCalls.query(request).get("dev_id");
        return OneNetCalls.withBody(request, response, "version report", authenticator, OneNetErrno.BAD_PARAMETERS,
                (product, body) -> {
                    String f = version(body, "f_version");
                    String s = version(body, "s_version");
                    if (f == null && s == null) {
                        throw OneNetCalls.refuse(OneNetErrno.BAD_PARAMETERS, "f_version or s_version is required");
                    }
                    meters.progressReport();
                    String pid = product.productId();
                    String device = Long.toString(OneNetCheckRequest.devId(devId));
                    Mono<?> fota = f == null ? Mono.empty() : progress.reportVersion(pid, device, UpgradeType.FOTA, f);
                    Mono<?> sota = s == null ? Mono.empty() : progress.reportVersion(pid, device, UpgradeType.SOTA, s);
                    return fota.then(sota).thenReturn(OneNetReply.ok(Map.of()));
                });
    }

    public Publisher<Void> get(HttpServerRequest request, HttpServerResponse response) {
        String auth = request.requestHeaders().get("Authorization");
        String devId = OneNetCalls.query(request).get("dev_id");
        return OneNetCalls.withoutBody(request, response, "version query", authenticated(auth).flatMap(pid ->
                devices.find(pid, Long.toString(OneNetCheckRequest.devId(devId)))
                        .defaultIfEmpty(Map.of())
                        .map(d -> OneNetReply.ok(new Versions(
                                d.getOrDefault(DeviceRepository.versionField(UpgradeType.FOTA), ""),
                                d.getOrDefault(DeviceRepository.versionField(UpgradeType.SOTA), ""))))));
    }

    private Mono<String> authenticated(String authorization) {
        return OneNetCalls.authenticated(authenticator, authorization).map(p -> p.productId());
    }

    /** An optional version field; present but malformed is errno 27 as in the check. */
    private static String version(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        String v = n.isTextual() || n.isNumber() ? n.asText() : null;
        if (!Names.isVersion(v)) {
            throw OneNetCalls.refuse(OneNetErrno.BAD_VERSION_FORMAT, field + " has a bad format");
        }
        return v;
    }
}
